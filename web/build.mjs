// Bundles the dashboard into one folder that `cobuild serve` serves as is:
// index.html, style.css and app.js (Chart.js included; nothing is fetched
// from the network at run time).
//
//   node build.mjs --outdir ../build/web
//
// Without the npm packages (scripts/install-deps --web installs them) it
// says so and exits 0, so a C++-only build still succeeds.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--outdir');
const outdir = resolve(outIndex >= 0 ? args[outIndex + 1] : join(here, 'dist'));

if (!existsSync(join(here, 'node_modules', 'esbuild')) ||
    !existsSync(join(here, 'node_modules', 'chart.js'))) {
  console.log('web dashboard not built: its npm packages are missing; run scripts/install-deps --web');
  process.exit(0);
}

const esbuild = await import('esbuild');
mkdirSync(outdir, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['es2020'],
  outfile: join(outdir, 'app.js'),
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(here, file), join(outdir, file));
// The scenario format, linked from the scenarios page; served as plain
// text (.txt), which every browser shows.
const formatDoc = join(here, '..', 'docs', 'scenario-format.md');
if (existsSync(formatDoc)) {
  mkdirSync(join(outdir, 'docs'), { recursive: true });
  copyFileSync(formatDoc, join(outdir, 'docs', 'scenario-format.txt'));
}
console.log(`web dashboard built in ${outdir}`);
