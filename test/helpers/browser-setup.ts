import type { TestProject } from 'vitest/node';
import { describeBrowser, findBrowser } from './browser.js';

/**
 * Vitest's global setup: finds the browser once for the whole run (unpacking the bundled one at most once,
 * before any worker starts), prints which one, and hands it to every browser test. A failure is handed on
 * too, so each browser test fails with the reasons while the other tests still run.
 */
export default async function setup(project: TestProject): Promise<void> {
  try {
    const found = await findBrowser();
    console.log(describeBrowser(found));
    project.provide('browser', { found });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message);
    project.provide('browser', { error: message });
  }
}
