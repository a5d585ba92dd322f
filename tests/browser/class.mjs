// The real-browser test of `stemcell serve --web`, driven by tests/it/serve_browser.rs:
// Debian's chromium through playwright-core (no browser download). It speaks a line protocol
// with the Rust test: it prints what it did (JOINED, ANSWERED, SAW …) and reads the teacher's
// steps (ASKED <option>, REVEALED) on stdin, so the class is run by the real class task.
//
//   node class.mjs URL CODE [SCREENSHOT_DIR]
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [url, code, shots] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
const waiting = [];
const queued = [];
lines.on('line', (line) => (waiting.length ? waiting.shift()(line) : queued.push(line)));
const nextLine = () => new Promise((resolve) => (queued.length ? resolve(queued.shift()) : waiting.push(resolve)));
const say = (line) => console.log(line);
const fail = (why) => { console.log(`FAIL ${why}`); process.exit(1); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const timeout = setTimeout(() => fail('the browser test took over 120 s'), 120000);
try {
  // The join page must pass axe-core with no serious or critical violation. (axe is injected,
  // which the page's CSP forbids: this context alone bypasses it.)
  const axeContext = await browser.newContext({ bypassCSP: true });
  const axePage = await axeContext.newPage();
  await axePage.goto(url);
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await axePage.addScriptTag({ content: axeSource });
  const found = await axePage.evaluate(async () => (await window.axe.run()).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
  const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  say(`AXE ${bad.length} ${JSON.stringify(found)}`);
  await axeContext.close();

  // A phone: 390x844, touch.
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => { if (!r.url().endsWith('/ws')) problems.push(`request failed: ${r.url()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin)) problems.push(`outside request: ${r.url()}`); });
  await page.goto(url);
  if (shots) await page.screenshot({ path: `${shots}/join-phone.png` });
  await page.getByLabel('Your name').fill('Tess');
  await page.getByLabel('Class code').fill(code);
  await page.getByRole('button', { name: 'Join' }).tap();
  const rows = page.locator('.xterm-rows');
  const screenText = () => rows.innerText().catch(() => '');
  const waitText = async (needle, ms = 15000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if ((await screenText()).includes(needle)) return true;
      await page.waitForTimeout(100);
    }
    if (shots) await page.screenshot({ path: `${shots}/failed.png` });
    const page_text = await page.locator('body').innerText().catch((e) => `(${e.message})`);
    fail(`never saw "${needle}" (${await rows.count()} terminal(s)) on:\n${await screenText()}\n--- the whole page:\n${page_text}`);
  };
  await waitText('Sections');
  const size = async () => Number((await page.locator('#terminal').getAttribute('data-size') || '0x0').split('x')[0]);
  const cols = await size();
  say(`JOINED ${cols}`);

  const asked = await nextLine();
  const option = asked.replace(/^ASKED /, '');
  await waitText('Class question 1 of 1');
  // Tap the option where it is drawn (an SGR mouse report), then the Enter key of the key row.
  const needle = option.slice(0, 14);
  const tapOption = async () => {
    const row = page.locator('.xterm-rows > div', { hasText: needle }).first();
    const box = await row.boundingBox();
    if (!box) fail(`no row shows "${needle}":\n${await screenText()}`);
    const text = await row.textContent();
    const column = Math.max(0, text.indexOf(needle)) + 2;
    const cell = box.width / text.length;
    await page.touchscreen.tap(box.x + cell * column, box.y + box.height / 2);
  };
  // As a student does: tap, see the option marked, then press Enter. A tap that lands while
  // the screen is being redrawn at a new size is tapped again, as a person would.
  let marked = false;
  for (let attempt = 0; attempt < 3 && !marked; attempt += 1) {
    await tapOption();
    const end = Date.now() + 2000;
    while (!marked && Date.now() < end) {
      marked = (await screenText()).includes(`(•) ${needle}`);
      if (!marked) await page.waitForTimeout(100);
    }
  }
  if (!marked) fail(`tapping never marked "${needle}" on:\n${await screenText()}`);
  if (shots) await page.screenshot({ path: `${shots}/question-phone.png` });
  await page.getByRole('button', { name: 'Enter' }).tap();
  await waitText('Your answer is in');
  say('ANSWERED');

  await nextLine();
  const end = Date.now() + 15000;
  let verdict = '';
  while (!verdict && Date.now() < end) {
    const now = await screenText();
    verdict = now.includes('Right') ? 'Right' : now.includes('Wrong') ? 'Wrong' : '';
    if (!verdict) await page.waitForTimeout(100);
  }
  if (!verdict) fail(`no reveal on:\n${await screenText()}`);
  if (shots) await page.screenshot({ path: `${shots}/reveal-phone.png` });
  say(`SAW ${verdict}`);

  // A laptop-sized window: the terminal refits and the server redraws at the new size.
  await page.setViewportSize({ width: 1280, height: 800 });
  const wider = Date.now() + 10000;
  let now = cols;
  while (now <= cols && Date.now() < wider) {
    await page.waitForTimeout(100);
    now = await size();
  }
  await waitText(verdict);
  if (shots) await page.screenshot({ path: `${shots}/reveal-laptop.png` });
  say(`RESIZED ${now}`);

  // The test cuts the network between us and the server (its proxy drops our side only, as
  // Wi-Fi does): the page sees the loss, reconnects with its token, the server redraws.
  await page.waitForFunction(() => document.getElementById('link').textContent.includes('Connection lost'), null, { timeout: 15000 });
  say('LOST');
  await page.waitForFunction(() => document.getElementById('link').textContent === '', null, { timeout: 30000 });
  // The same student, answers kept (after a reveal the class puts them back to reading).
  await waitText('answer is kept');
  say('BACK');
  // One keypress after the rejoin: a doubled listener would send it twice.
  await page.keyboard.press('Escape');
  if (shots) await page.screenshot({ path: `${shots}/back-laptop.png` });
  say(`PROBLEMS ${problems.length} ${JSON.stringify(problems)}`);
  await nextLine();
} catch (e) {
  fail(e.stack || String(e));
} finally {
  clearTimeout(timeout);
  await browser.close();
}
process.exit(0);
