#!/usr/bin/env node
// Launcher: checks the Node.js version, then runs the TypeScript CLI directly (Node strips the types).
const [major, minor] = process.versions.node.split('.').map(Number);
const supported = (major === 22 && minor >= 22) || (major === 24 && minor >= 15) || major >= 26 || major === 25;
if (!supported) {
  process.stderr.write(
    `error USAGE: mcp-lock needs Node.js 22.22+ or 24.15+, but this is ${process.version}.\n` +
      'hint: inside the mcp-lock repository use `npm exec mcp-lock` or `npm run` scripts, which use the pinned Node 24;\n' +
      '      elsewhere install Node 24 LTS.\n',
  );
  process.exit(2);
}
const { main } = await import('../cli/main.ts');
await main(process.argv);
