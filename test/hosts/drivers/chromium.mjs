// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): loads entries/page.html from a
// loopback static server; the page imports dist/index.js, as a site would, and runs the suite.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';

const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export default {
  label: 'chromium',
  async run({ dir, timeoutMs }) {
    if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} not found: apt-get install -y chromium`);
    const server = await serve(dir);
    let context;
    const log = [];
    try {
      // A persistent context on a fresh directory is playwright's way to pass --user-data-dir.
      context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
        executablePath: EXECUTABLE, args: ARGS, headless: true, timeout: timeoutMs,
      });
      // Anything but our loopback server is refused, so the test cannot touch the network.
      await context.route('**/*', (route) =>
        route.request().url().startsWith(server.url + '/') ? route.continue() : route.abort('blockedbyclient'));
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(timeoutMs);
      page.on('console', (msg) => log.push(`console.${msg.type()}: ${msg.text()}`));
      page.on('pageerror', (err) => log.push(`pageerror: ${err.message}`));
      await page.goto(`${server.url}/entries/page.html`);
      await page.waitForFunction(() => window.smokeResult !== undefined);
      const result = await page.evaluate(() => window.smokeResult);
      // The user agent string is frozen at 'X.0.0.0'; the full version needs a high-entropy client hint.
      const version = await page.evaluate(async () => {
        const brands = (await navigator.userAgentData?.getHighEntropyValues(['fullVersionList']))?.fullVersionList ?? [];
        return brands.find((b) => /Chrom/.test(b.brand))?.version ?? navigator.userAgent.match(/Chrome\/(\S+)/)?.[1];
      });
      return { host: 'chromium', version, ...result, output: log.join('\n') };
    } catch (err) {
      err.message += log.length ? `\n${log.join('\n')}` : '';
      throw err;
    } finally {
      await context?.close().catch(() => {});
      await server.close();
    }
  },
};
