/**
 * What a built CommonJS bundle loads at run time: every require() call and dynamic import().
 * A sandboxed preload can load nothing but 'electron' (plus a few polyfills we do not use), so
 * the gate wants exactly ['electron'] and no computed require.
 */
import ts from 'typescript';

export interface BundleLoads {
  /** Module names of require('x') calls with a literal argument, in order of appearance. */
  requires: string[];
  /** Source text of require(...) calls whose argument is not a string literal. */
  computedRequires: string[];
  /** Specifier text of import(...) calls. */
  dynamicImports: string[];
  /** Static import/export-from declarations (an ES module cannot be a sandboxed preload at all). */
  esmImports: string[];
}

function isCalleeOrName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && parent.expression === node) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return true;
  // typeof require === "function" checks in bundler helpers only test for it
  if (ts.isTypeOfExpression(parent)) return true;
  return false;
}

export function bundleLoads(code: string, fileName = 'bundle.cjs'): BundleLoads {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const loads: BundleLoads = { requires: [], computedRequires: [], dynamicImports: [], esmImports: [] };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire =
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isPropertyAccessExpression(callee) && callee.name.text === 'require' && ts.isIdentifier(callee.expression) && callee.expression.text === 'module');
      if (isRequire) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteralLike(arg)) loads.requires.push(arg.text);
        else loads.computedRequires.push(node.getText(source));
      } else if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        loads.dynamicImports.push(node.arguments[0]?.getText(source) ?? '');
      }
    } else if (ts.isIdentifier(node) && node.text === 'require' && !isCalleeOrName(node)) {
      // require handed around as a value (const r = require; r(x)) can load anything
      loads.computedRequires.push(node.parent.getText(source));
    } else if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      loads.esmImports.push(node.moduleSpecifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return loads;
}
