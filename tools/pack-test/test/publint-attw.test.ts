import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, test } from 'vitest';
import { runCommand } from '../src/run-command.js';
import { readArrayBuffer, tarballFiles } from '../src/tarball.js';
import {
  isBuilt,
  type PackageManifest,
  publishedPackages,
  tarballName,
  WORKSPACE_ROOT,
} from '../src/workspace.js';

const built = publishedPackages().filter(isBuilt);
const ATTW = join(WORKSPACE_ROOT, 'tools/pack-test/node_modules/.bin/attw');
/** The resolutions attw's esm-only profile leaves out. */
const ESM_ONLY_IGNORED = ['node10', 'node16-cjs'];

/** The parts of `attw --format json` the test reads. */
interface AttwReport {
  readonly analysis: { readonly types: { readonly kind: string } };
  readonly problems: Readonly<
    Record<string, readonly { readonly kind: string; readonly resolutionKind?: string }[]>
  >;
}

describe.concurrent('each packed tarball', () => {
  for (const pkg of built) {
    const tarball = (): string => join(inject('tarballDir'), tarballName(pkg));

    test(`${pkg.name}: publint reports nothing, not even a suggestion`, async () => {
      const result = await publint({
        pack: { tarball: await readArrayBuffer(tarball()) },
        level: 'suggestion',
        strict: true,
      });
      expect(result.messages.map((message) => formatMessage(message, result.pkg))).toEqual([]);
    });

    test(`${pkg.name}: attw finds its types for ESM consumers`, async () => {
      // ESM only on purpose: CommonJS users reach it with import(), so the node10 and
      // require() resolutions are not checked.
      const result = await runCommand(
        ATTW,
        [tarball(), '--profile', 'esm-only', '--format', 'json', '--no-color'],
        { cwd: WORKSPACE_ROOT, timeoutMs: 30_000 },
      );
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(result.stdout) as AttwReport;
      expect(report.analysis.types).toEqual({ kind: 'included' });
      const checked = Object.values(report.problems)
        .flat()
        .filter((problem) => !ESM_ONLY_IGNORED.includes(problem.resolutionKind ?? ''));
      expect(checked).toEqual([]);
    });

    test(`${pkg.name}: ships its build and nothing else, with npm ranges`, async () => {
      const files = await tarballFiles(tarball());
      const manifest = JSON.parse(files.get('package.json')!) as PackageManifest;
      const runtimeRanges = Object.values(manifest.dependencies ?? {});
      expect(runtimeRanges.filter((range) => !/^\^\d+\.\d+\.\d+$/.test(range))).toEqual([]);
      expect(JSON.stringify(manifest)).not.toContain('workspace:');
      expect(manifest.version).toBe(pkg.version);
      expect(files.has('dist/index.js')).toBe(true);
      expect(files.has('dist/index.d.ts')).toBe(true);
      const shipped = (manifest.files as string[]).filter((entry) => !entry.startsWith('!'));
      const always = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
      const unexpected = [...files.keys()].filter(
        (file) =>
          !always.includes(file) &&
          !shipped.some((entry) => file === entry || file.startsWith(`${entry}/`)),
      );
      expect(unexpected).toEqual([]);
      expect([...files.keys()].filter((file) => /tsbuildinfo|\.test\./.test(file))).toEqual([]);
    });

    const readme = join(pkg.dir, 'README.md');
    test.skipIf(!existsSync(readme))(
      existsSync(readme)
        ? `${pkg.name}: ships its README and the repository's LICENSE`
        : `${pkg.name}: skipped, it has no README yet`,
      async () => {
        const files = await tarballFiles(tarball());
        expect(files.get('README.md')).toBe(readFileSync(readme, 'utf8'));
        expect(files.get('LICENSE')).toBe(readFileSync(join(WORKSPACE_ROOT, 'LICENSE'), 'utf8'));
      },
    );
  }
});
