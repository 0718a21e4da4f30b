//! Start-up baseline for `bench/startup.sh`: the smallest useful Rust binary.

fn main() {
    println!("Hello, world!");
}
