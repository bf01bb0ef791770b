// End-to-end test of the dashboard: starts `cobuild serve` on a free
// loopback port with a fresh database, drives Debian's chromium (headless)
// with playwright-core, uploads a broken and then the default scenario,
// runs a plan and checks that the utilization heatmap shows Halewood, runs
// the scenario's replan (the cyber-attack) from that plan and checks that
// the disruption page shows the three plans, compares the plan with the
// recovered plan on the compare page, and cancels a long plan from the plan
// page. Screenshots go to
// $COBUILD_BINARY_DIR/e2e/.
//
// Exit codes: 0 passed, 1 failed, 77 skipped (no chromium or no built
// dashboard; ctest reports it as skipped with the reason printed).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SKIP = 77;
const bin = process.env.COBUILD_BIN;
const webDir = process.env.COBUILD_WEB_DIR;
const outDir = join(process.env.COBUILD_BINARY_DIR || 'build', 'e2e');
const chromiumPath = process.env.COBUILD_CHROMIUM || '/usr/bin/chromium';
const scenarioPath = resolve('scenarios/uk-2026.yaml');

function skip(why) {
  console.log(`SKIPPED: ${why}`);
  process.exit(SKIP);
}
if (!bin || !existsSync(bin)) skip(`no cobuild binary (COBUILD_BIN=${bin})`);
if (!existsSync(chromiumPath)) skip(`no chromium at ${chromiumPath}; run scripts/install-deps --web`);
if (!webDir || !existsSync(join(webDir, 'index.html'))) skip(`dashboard not built in ${webDir}; run scripts/install-deps --web and rebuild`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  skip('playwright-core is not installed; run scripts/install-deps --web');
}

const work = mkdtempSync(join(tmpdir(), 'cobuild-e2e-'));
mkdirSync(outDir, { recursive: true });
let server;
let browser;
const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function startServer() {
  server = spawn(bin, ['serve', '--port', '0', '--db', join(work, 'e2e.db'), '--web-dir', webDir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePort, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

try {
  const port = await startServer();
  const base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const offsite = [];
  const pageErrors = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) offsite.push(r.url()); });
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto(`${base}/#/scenarios`);
  await page.waitForSelector('#scenario-file');

  // A broken scenario: every problem is listed with file:line:column.
  const broken = readFileSync(scenarioPath, 'utf8').replace('months: 36', 'months: -36');
  writeFileSync(join(work, 'uk-broken.yaml'), broken);
  await page.setInputFiles('#scenario-file', join(work, 'uk-broken.yaml'));
  await page.click('#validate-button');
  await page.waitForSelector('#upload-result .error');
  const problems = await page.locator('#upload-result table.diagnostics tbody tr').allTextContents();
  check(problems.length > 0 && problems.every((p) => /uk-broken\.yaml:\d+:\d+/.test(p)),
    `broken scenario: ${problems.length} problem(s) listed with file:line:column (${problems[0] || 'none'})`);

  // The default scenario uploads and is listed.
  await page.setInputFiles('#scenario-file', scenarioPath);
  await page.click('#upload-button');
  await page.waitForSelector('#upload-result .success');
  await page.waitForSelector('#scenario-list tr[data-scenario]');
  const listed = await page.locator('#scenario-list tbody').textContent();
  check(listed.includes('uk-2026'), 'uk-2026 is listed after upload');
  await page.screenshot({ path: join(outDir, 'scenarios.png'), fullPage: true });

  const kinds = await (await fetch(`${base}/api/kinds`)).json();
  const available = Object.fromEntries(kinds.map((k) => [k.name, k.available]));

  // Pages whose engine is missing say so.
  for (const [hash, kind] of [['disruption', 'replan'], ['line-day', 'sequence'], ['risk', 'risk']]) {
    await page.goto(`${base}/#/${hash}`);
    await page.waitForSelector('main h1');
    if (!available[kind]) {
      const notice = await page.locator('main .notice').first().textContent({ timeout: 5000 });
      check(notice.includes('not available'), `${hash} page says '${kind}' is not available`);
    }
  }

  if (available.plan) {
    await page.goto(`${base}/#/plan`);
    await page.waitForSelector('#plan-run:not([disabled])');
    await page.fill('#plan-time-limit', '8');
    await page.click('#plan-run');
    await page.waitForSelector('#heatmap table', { timeout: 90000 });
    const rows = await page.locator('#heatmap tbody th').allTextContents();
    check(rows.some((r) => r.includes('Halewood')), `heatmap rows: ${rows.join(', ')}`);
    const cells = await page.locator('#heatmap tr[data-plant="halewood"] td').count();
    check(cells === 36, `Halewood has a cell per month (${cells})`);
    const charts = await page.locator('#plan-result canvas').count();
    check(charts >= 3, `plan page draws ${charts} charts`);
    await page.screenshot({ path: join(outDir, 'plan.png'), fullPage: true });
    console.log(`screenshot: ${join(outDir, 'plan.png')}`);
  } else {
    await page.goto(`${base}/#/plan`);
    const notice = await page.locator('main .notice').first().textContent({ timeout: 5000 });
    check(notice.includes('not available'), 'plan page says the planner is not available');
  }

  if (available.plan && available.replan) {
    // The scenario's own events (the cyber-attack), from the plan just made.
    await page.goto(`${base}/#/disruption`);
    await page.waitForSelector('#replan-run:not([disabled])');
    const baselineJob = await page.locator('#replan-baseline').inputValue();
    check(baselineJob !== '', `disruption page offers the plan job as baseline (${baselineJob})`);
    await page.fill('#replan-params', '{"time_limit_seconds": 8}');
    await page.click('#replan-run');
    await page.waitForSelector('#disruption-table, #replan-result .error, #replan-result .notice', { timeout: 90000 });
    const failed = await page.locator('#replan-result .error, #replan-result .notice').allTextContents();
    if (failed.length) throw new Error(`the replan did not succeed: ${failed.join(' ')}`);
    const cases = await page.locator('#disruption-table thead th[data-case]').allTextContents();
    check(cases.length === 3, `disruption page shows three plans side by side (${cases.join(', ')})`);
    const maps = await page.locator('#disruption-heatmaps tr[data-plant="halewood"]').count();
    check(maps === 3, `three utilization heatmaps with Halewood (${maps})`);
    // "Halewood (Merseyside), 2026-10: 1,234 of 20,000 cars (6.2%)", baseline then disrupted.
    const october = [];
    for (const k of [0, 1]) {
      const title = await page.locator('#disruption-heatmaps tr[data-plant="halewood"]').nth(k)
        .locator('td[title*="2026-10"]').getAttribute('title');
      october.push(Number(title.match(/: ([\d,]+) of/)[1].replace(/,/g, '')));
    }
    check(october[1] < october[0], `the attack cuts Halewood's October 2026 output (${october[0]} -> ${october[1]} cars)`);
    await page.screenshot({ path: join(outDir, 'disruption.png'), fullPage: true });
  }

  if (available.compare && available.replan) {
    // Defaults: A the older job (the plan), B the newest (the replan's recovered plan).
    await page.goto(`${base}/#/compare`);
    await page.waitForSelector('#compare-run:not([disabled])');
    const sides = [await page.locator('#compare-a').inputValue(), await page.locator('#compare-b').inputValue()];
    await page.click('#compare-run');
    await page.waitForSelector('#compare-table', { timeout: 60000 });
    const companies = await page.locator('#compare-table tbody[data-section="contribution by company"] tr td:first-child')
      .allTextContents();
    check(companies.length >= 2, `compare table (${sides.join(' vs ')}) lists contribution per company (${companies.join(', ')})`);
    const chart = await page.locator('#compare-contribution canvas').count();
    check(chart === 1, 'compare page draws contribution per company A vs B');
    await page.screenshot({ path: join(outDir, 'compare.png'), fullPage: true });
  }

  if (available.plan) {
    // A long plan cancelled from the page: the solve stops and the worker is free at once.
    await page.goto(`${base}/#/plan`);
    await page.waitForSelector('#plan-run:not([disabled])');
    await page.fill('#plan-time-limit', '300');
    await page.click('#plan-run');
    await page.waitForFunction(() => /running/.test(document.querySelector('#plan-status').textContent));
    const asked = Date.now();
    await page.click('#plan-cancel');
    const said = await page.locator('#plan-result .notice').textContent({ timeout: 10000 });
    let health = {};
    while (Date.now() - asked < 5000) {
      health = await (await fetch(`${base}/api/health`)).json();
      if (health.jobs_running === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    check(/cancelled/.test(said) && health.jobs_running === 0,
      `a cancelled plan frees the worker in ${Date.now() - asked} ms (${said})`);
  }

  check(offsite.length === 0, `no requests outside the server (${offsite.slice(0, 3).join(', ')})`);
  check(pageErrors.length === 0, `no JavaScript errors (${pageErrors.slice(0, 3).join('; ')})`);
} catch (e) {
  failures.push(e.message);
  console.log(`FAIL ${e.stack || e.message}`);
} finally {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(`${failures.length === 0 ? 'passed' : 'FAILED'}: ${failures.length} failure(s)`);
process.exit(failures.length === 0 ? 0 : 1);
