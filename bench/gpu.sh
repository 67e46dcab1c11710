#!/usr/bin/env bash
# The benchmark on a real GPU: WebGPU (then WebGL) in headless Chromium with a hardware
# adapter. Needs a GPU with a Vulkan driver and Chromium (CHROMIUM_PATH, default
# /usr/bin/chromium). Prints the same table as `npm run bench` and writes bench/results.json;
# a software adapter (SwiftShader) is reported as such in the notes, not as a GPU.
#   bash bench/gpu.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v vulkaninfo >/dev/null 2>&1; then
  vulkaninfo --summary 2>/dev/null | grep -E 'deviceName|driverName' || true
else
  echo "vulkaninfo not found (apt-get install vulkan-tools to list the GPUs Chromium can use)"
fi
for backend in webgpu webgl; do
  echo "== $backend"
  npm run bench -- --backend "$backend" "$@"
  cp bench/results.json "bench/results-$backend.json"
done
echo "per-backend results: bench/results-webgpu.json, bench/results-webgl.json"
