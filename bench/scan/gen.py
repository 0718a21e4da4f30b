#!/usr/bin/env python3
"""Generates a reproducible corpus of realistic Windows logs for `volact scan` benchmarks.

Usage: gen.py OUT_DIR [SIZE_MIB] [sparse|dense]   (default 1024 MiB, sparse)

Mostly noise (CBS/setup/application-style lines with timestamps, GUIDs, 64-bit addresses, hashes,
counters), about one activation code per 2,000 lines, a few slmgr /dlv outputs and Event Viewer
text copies, and one file in eight written as UTF-16LE with a byte-order mark (as PowerShell and
many Windows tools write). Same seed, same bytes: the corpus is identical on every run.

`dense` writes the same kind of corpus, except that every noise line also carries a random
`0x` + eight hex digits value (a handle, flags, a session or a hash prefix), as servicing and
setup logs do: the worst case for a tool looking for codes.
"""
import os
import random
import sys

out = sys.argv[1]
size_mib = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
mode = sys.argv[3] if len(sys.argv) > 3 else "sparse"
if mode not in ("sparse", "dense"):
    sys.exit("gen.py: the mode is sparse or dense")
FILE_MIB = 8
rng = random.Random(20261124)

CODES = ["0xC004F074", "0xC004F038", "0x8007232B", "0xC004F06C", "0x80070005",
         "0xC004C003", "0x8004FE21", "0x80072EE7", "0xC004F056", "0x87E10BC6"]
COMPONENTS = ["CBS", "CSI", "DISM", "SPP", "WU", "Setup", "Svc", "Net", "Appx", "TI"]
WORDS = ("package session store manifest component servicing transaction watchlist "
         "driver update reboot pending staged install resolve cache network adapter "
         "service started stopped query policy registry value key handle thread").split()

def hexs(n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))

def guid():
    return f"{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}"

def noise():
    t = f"2026-11-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    k = rng.random()
    comp = rng.choice(COMPONENTS)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))
    if k < 0.15:
        return f"{t}, Info {comp:<6} {words} {{{guid()}}}"
    if k < 0.25:
        return f"{t}, Info {comp:<6} {words} at 0x0000{hexs(12)} flags 0x{hexs(4)}"
    if k < 0.32:
        return f"{t}, Info {comp:<6} hash sha256={hexs(64)} {words}"
    if k < 0.40:
        return f"{t}, Info {comp:<6} {words} count={rng.randint(0, 99999)} pid={rng.randint(100, 65535)} tid={rng.randint(100, 65535)}"
    return f"{t}, Info {comp:<6} {words}"

DENSE = ["handle 0x{}", "flags: 0x{}", "Session 0x{}", "cookie=0x{}", "[0x{}]", "ctx 0x{}",
         "state 0x{}", "object 0x{}", "hash prefix 0x{}", "returned 0x{}"]

def dense_noise():
    return noise() + " " + rng.choice(DENSE).format(hexs(8))

def code_line():
    c = rng.choice(CODES)
    k = rng.random()
    if k < 0.5:
        return f"2026-11-24 09:{rng.randint(0, 59):02d}:00, Error SPP    Activation failed: hr={c}"
    if k < 0.8:
        return f"Error: {c} On a computer running Microsoft Windows non-core edition, run 'slui.exe 0x2a {c}' to display the error text."
    return f"2026-11-24 09:00:00, Warning Svc    operation returned {c} after retry"

SLMGR = """Name: Windows(R), Enterprise edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Partial Product Key: 2YT43
License Status: Notification
Notification Reason: 0xC004F056.

Key Management Service client information
    Client Machine ID (CMID): 6c1c9d2e-5a7e-4d1c-9b3c-0f2d3e4a5b6c
    DNS auto-discovery: KMS name not available
    Activation interval: 120 minutes
    Renewal interval: 10080 minutes
    KMS host caching is enabled
"""

EVENT = """Log Name:      Application
Source:        Microsoft-Windows-Security-SPP
Date:          11/24/2026 2:14:58 PM
Event ID:      12288
Computer:      pc1.contoso.com
Description:
The client has sent an activation request to the key management service machine.
Info:
0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:14, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25
"""

os.makedirs(out, exist_ok=True)
files = max(1, size_mib // FILE_MIB)
for i in range(files):
    utf16 = i % 8 == 7
    target = FILE_MIB * 1024 * 1024 // (2 if utf16 else 1)
    parts, n = [], 0
    while n < target:
        r = rng.random()
        if r < 0.0005:
            line = code_line()
        elif r < 0.000505:
            line = SLMGR
        elif r < 0.00051:
            line = EVENT
        else:
            line = dense_noise() if mode == "dense" else noise()
        parts.append(line)
        n += len(line) + 1
    text = "\n".join(parts) + "\n"
    name = os.path.join(out, f"{'ps' if utf16 else 'cbs'}-{i:04d}.log")
    with open(name, "wb") as f:
        if utf16:
            f.write(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
        else:
            f.write(text.encode("utf-8"))
print(f"{files} files in {out}")
