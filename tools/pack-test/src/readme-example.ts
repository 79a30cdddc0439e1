import ts from 'typescript';

/** The first ```ts block of a README, or null when it has none. */
export function firstTypeScriptBlock(readme: string): string | null {
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(readme);
  return match === null ? null : match[1]!;
}

/**
 * The example as plain JavaScript: the type annotations, type arguments and type-only imports
 * removed and nothing else changed, so what runs is what the README shows.
 */
export function stripTypes(source: string): string {
  const { outputText, diagnostics } = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  });
  if (diagnostics !== undefined && diagnostics.length > 0) {
    throw new SyntaxError(ts.formatDiagnostics(diagnostics, formatHost));
  }
  return outputText;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

/**
 * Type-checks example files against the packages installed next to them (their published
 * .d.ts files), as a TypeScript user's strict NodeNext project would, and returns the errors.
 */
export function typeCheckExamples(files: readonly string[], nodeTypesRoot: string): string[] {
  const program = ts.createProgram(files, checkOptions(nodeTypesRoot), undefined, lastProgram);
  // The next check reuses the parsed lib and @types/node files: most of the time of a check.
  lastProgram = program;
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost).trim());
}

let lastProgram: ts.Program | undefined;

function checkOptions(nodeTypesRoot: string): ts.CompilerOptions {
  return {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    // The published .d.ts files are checked too, as a strict consumer's build would.
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [nodeTypesRoot],
  };
}

/**
 * The packages a README's `npm install` line names, or null when it has none: what a reader
 * installs before running the example.
 */
export function installedByReadme(readme: string): string[] | null {
  const match = /^npm install ((?:[@\w./-]+ ?)+)$/m.exec(readme);
  return match === null ? null : match[1]!.trim().split(' ');
}
