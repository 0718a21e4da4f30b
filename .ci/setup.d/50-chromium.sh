# Headless Chromium and its WebDriver for the `volact serve` browser test (issue 6):
# crates/server/tests/browser.rs drives /usr/bin/chromium through /usr/bin/chromedriver on a loopback
# port. fonts-wqy-microhei (1.6 MB) gives the screenshots real Chinese glyphs instead of boxes.
# Sourced by .ci/run. Idempotent: a fast no-op when both packages are installed; fails loudly
# when they cannot be installed, because with CI set the browser test fails instead of skipping.

apt_install chromium chromium-driver fonts-wqy-microhei \
  || { echo "ERROR: cannot install chromium and chromium-driver; the browser test cannot run" >&2; return 1; }
[ -x /usr/bin/chromium ] \
  || { echo "ERROR: /usr/bin/chromium is missing after installing chromium" >&2; return 1; }
[ -x /usr/bin/chromedriver ] \
  || { echo "ERROR: /usr/bin/chromedriver is missing after installing chromium-driver" >&2; return 1; }
