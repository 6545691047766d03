import { describe, expect, it } from 'vitest';
import { BROWSER_MODE_VARIABLE, findBrowser, launchBrowser } from '../helpers/browser.js';

// The finder's fallback is what a machine with Node alone gets, so it is proved here even where an installed
// Chromium would win: forced to the bundled one, the finder must yield a browser that runs a page.

describe('the browser finder', () => {
  it(`forced to the bundled browser (${BROWSER_MODE_VARIABLE}=bundled), yields @sparticuz/chromium, which runs a page`, async () => {
    const found = await findBrowser({ ...process.env, CHROME_PATH: undefined, [BROWSER_MODE_VARIABLE]: 'bundled' });
    expect(found.source).toBe('bundled');
    expect(found.package).toMatch(/^@sparticuz\/chromium@\d+\.\d+\.\d+$/);
    expect(found.args).not.toContain('--disable-web-security');
    const browser = await launchBrowser(found);
    try {
      const page = await browser.context.newPage();
      expect(await page.evaluate('1 + 1')).toBe(2);
    } finally {
      await browser.close();
    }
  });

  it('fails loudly when CHROME_PATH points at nothing, never falling back', async () => {
    await expect(findBrowser({ PATH: process.env['PATH'], CHROME_PATH: '/nonexistent/chrome' })).rejects.toThrow(
      'CHROME_PATH=/nonexistent/chrome is not an executable file',
    );
  });

  it(`refuses an unknown ${BROWSER_MODE_VARIABLE}, and CHROME_PATH with a forced mode`, async () => {
    await expect(findBrowser({ [BROWSER_MODE_VARIABLE]: 'firefox' })).rejects.toThrow(
      'expected one of auto, installed, bundled',
    );
    await expect(findBrowser({ CHROME_PATH: '/usr/bin/chromium', [BROWSER_MODE_VARIABLE]: 'bundled' })).rejects.toThrow(
      'set one of them',
    );
  });
});
