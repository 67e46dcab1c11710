// Fails early, with the fix, when the browser the e2e tests drive is missing.
import { existsSync } from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.error(
    `Chromium not found at ${chromiumPath}. Install Debian's package (apt-get install -y chromium)` +
      ' or point CHROMIUM_PATH at a Chromium binary. The tests never download a browser.',
  );
  process.exit(1);
}
