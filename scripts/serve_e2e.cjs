// The browser half of scripts/serve_e2e.sh: node serve_e2e.cjs URL SAMPLE_DIR SHOT_DIR CHROMIUM
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const [url, sample, shots, executablePath] = process.argv.slice(2);
const origin = new URL(url).origin;

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exitCode = 1;
  throw new Error(msg);
}

function filesBelow(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

(async () => {
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, locale: 'zh-CN' });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    // Step 1: choose the sample_data folder (every file below it).
    await page.goto(url);
    // The drop zone takes a (synthetic) dropped file; then start again.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], '拖入测试.xlsx'));
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    const dropped = await page.textContent('#chosen');
    if (!dropped.includes('拖入测试.xlsx')) fail('the drop zone did not take a dropped file');
    await page.click('#chosen-clear');
    await page.setInputFiles('#pick-files', filesBelow(sample));
    const summary = await page.textContent('#chosen-summary');
    if (!/已选择 \d+ 个文件/.test(summary)) fail('the chosen files are not listed: ' + summary);
    await page.screenshot({ path: path.join(shots, 'serve-upload.png') });
    console.log('upload page: ' + summary);

    // Step 2: upload; the check page lists the planted rejections.
    await Promise.all([page.waitForURL(/\/batch\/[0-9a-f-]+$/, { timeout: 120000 }), page.click('#upload-button')]);
    const expected = JSON.parse(fs.readFileSync(path.join(sample, 'expected.json'), 'utf8'));
    let issues = await page.textContent('#issue-table');
    if (!issues.includes('J31「待定」不是有效金额')) fail('the issues table lacks J31「待定」不是有效金额');
    for (const r of expected.rejections) {
      const place = `${r.sheet}!${r.cell}`;
      if (!issues.includes(place)) fail(`the issues table lacks the planted rejection ${r.file} ${place}`);
    }
    console.log(`check page: all ${expected.rejections.length} planted rejections are listed`);
    // Filter to errors (the select submits itself) for the picture.
    await Promise.all([page.waitForURL(/severity=error/), page.selectOption('select[name=severity]', 'error')]);
    issues = await page.textContent('#issue-table');
    if (issues.includes('警告')) fail('the severity filter let a warning through');
    await page.setViewportSize({ width: 1280, height: 1250 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'serve-check.png') });
    await page.setViewportSize({ width: 1280, height: 860 });

    // Step 3: run 2025H1, wait for the figures, download briefing.xlsx.
    await page.click('#to-run');
    await page.selectOption('#period', '2025H1');
    await page.click('#run-button');
    await page.waitForSelector('#kpis', { timeout: 120000 });
    const kpis = await page.textContent('#kpis');
    if (!kpis.includes('53.0%')) fail('the KPI cards lack the completion rate 53.0%: ' + kpis);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#downloads a[href$="/out/briefing.xlsx"]'),
    ]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    if (download.suggestedFilename() !== 'briefing.xlsx') fail('download name: ' + download.suggestedFilename());
    if (bytes.readUInt32LE(0) !== 0x04034b50 || !bytes.includes('xl/workbook.xml')) fail('briefing.xlsx is not a workbook');
    console.log(`run page: ${kpis.replace(/\s+/g, ' ').trim().slice(0, 120)} …`);
    console.log(`briefing.xlsx: ${bytes.length} bytes, a zip with xl/workbook.xml`);
    await page.click('#copy-article');
    if ((await page.textContent('#copy-status')) !== '已复制') fail('the copy button did not report 已复制');
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'serve-run.png') });

    // History: the batch is listed with its period and figures, and reopens.
    await page.click('nav.steps a[href$="/"]');
    const history = await page.textContent('table.history');
    if (!history.includes('2025年1—6月') || !history.includes('39.10亿元')) fail('the history lacks the run: ' + history);
    await Promise.all([page.waitForURL(/\/batch\/[0-9a-f-]+$/), page.click('table.history a >> nth=0')]);
    if (!(await page.textContent('#issue-table')).includes('J31')) fail('the reopened batch lost its issues');
    console.log('history: the batch is listed with 2025年1—6月 and reopens');

    // Nothing left the server.
    const outside = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:'));
    if (outside.length) fail('requests outside the server: ' + outside.join(', '));
    console.log(`${requests.length} requests, all to ${origin}`);
    if (errors.length) fail('console errors: ' + errors.join(' | '));
    console.log('PASS');
  } catch (e) {
    if (!process.exitCode) { console.error(e); process.exitCode = 1; }
    await page.screenshot({ path: path.join(shots, 'failure.png'), fullPage: true }).catch(() => {});
    console.error('page at failure: ' + page.url());
    console.error(((await page.textContent('main').catch(() => '')) || '').replace(/\s+/g, ' ').slice(0, 1500));
  } finally {
    await browser.close();
  }
})();
