// The e2e tests drive Debian's Chromium and never download a browser. When it is missing,
// install it where this process can (root with apt-get), saying so; otherwise stop with the
// exact command to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const installCommand = 'apt-get update && apt-get install -y chromium';

function canInstall() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  return !process.env.CHROMIUM_PATH && isRoot && hasAptGet;
}

if (!existsSync(chromiumPath)) {
  if (canInstall()) {
    console.log(`Chromium not found at ${chromiumPath}: installing Debian's package (${installCommand}).`);
    const run = spawnSync('sh', ['-c', installCommand], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.status !== 0 || !existsSync(chromiumPath)) {
      console.error(`Installing Chromium failed. Run \`${installCommand}\` yourself, or point CHROMIUM_PATH at a Chromium binary.`);
      process.exit(1);
    }
    console.log(`Installed Chromium at ${chromiumPath}.`);
  } else {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    console.error(
      `Chromium not found at ${chromiumPath}. Install Debian's package: \`${sudo}sh -c '${installCommand}'\`,` +
        ' or point CHROMIUM_PATH at a Chromium binary. The tests never download a browser.',
    );
    process.exit(1);
  }
}
