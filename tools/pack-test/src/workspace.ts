import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The parts of a package.json that the pack test reads. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** A package of packages/* that is published to npm. */
export interface PublishedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the package's folder. */
  readonly dir: string;
  readonly manifest: PackageManifest;
  /** Names of the published packages it depends on at run time, directly. */
  readonly workspaceDependencies: readonly string[];
}

/** Reads and parses a JSON file. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Every package under packages/ whose package.json is not private, sorted by name: the list the
 * pack test runs over, so a new package is covered as soon as it exists.
 */
export function publishedPackages(): PublishedPackage[] {
  const packagesDir = join(WORKSPACE_ROOT, 'packages');
  const found: PublishedPackage[] = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    const manifestPath = join(packagesDir, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = readJson<PackageManifest>(manifestPath);
    if (manifest.private === true) continue;
    found.push({
      name: manifest.name,
      version: manifest.version,
      dir: join(packagesDir, entry.name),
      manifest,
      workspaceDependencies: Object.entries(manifest.dependencies ?? {})
        .filter(([, range]) => range.startsWith('workspace:'))
        .map(([name]) => name),
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The package and every published package it needs at run time, transitively: exactly what an
 * npm user gets when installing it alone.
 */
export function withDependencies(
  name: string,
  packages: readonly PublishedPackage[],
): PublishedPackage[] {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const closure = new Map<string, PublishedPackage>();
  const visit = (next: string): void => {
    if (closure.has(next)) return;
    const pkg = byName.get(next);
    if (pkg === undefined) throw new Error(`${next} is not a published workspace package`);
    closure.set(next, pkg);
    for (const dependency of pkg.workspaceDependencies) visit(dependency);
  };
  visit(name);
  return [...closure.values()];
}

/** The file name `pnpm pack` gives a package's tarball. */
export function tarballName(pkg: Pick<PublishedPackage, 'name' | 'version'>): string {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

/** Whether the package has been built, so that it can be packed. */
export function isBuilt(pkg: PublishedPackage): boolean {
  return existsSync(join(pkg.dir, 'dist', 'index.js'));
}
