# NTP peers for `volact doctor` (issue 5): the clock tests start a real chronyd on a loopback port
# (never touching the system clock: `chronyd -x`), and a second one under libfaketime whose clock
# runs 5 hours ahead. Sourced by .ci/run. Idempotent: a fast no-op when both are installed; fails
# loudly when they cannot be installed, because with CI set those tests fail instead of skipping.

apt_install chrony libfaketime \
  || { echo "ERROR: cannot install chrony and libfaketime; the doctor clock tests cannot run" >&2; return 1; }
command -v chronyd >/dev/null || [ -x /usr/sbin/chronyd ] \
  || { echo "ERROR: chronyd is missing after installing chrony" >&2; return 1; }
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 \
  || { echo "ERROR: libfaketime.so.1 is missing after installing libfaketime" >&2; return 1; }
