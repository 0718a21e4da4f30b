//! Loopback protocol peers for tests: DNS, TCP, DCE/RPC and hostile servers. Loopback only.
