//! Prints a synthetic citizen's SF1470 fremsoeg answer (fictitious) for the import benchmarks:
//!   cargo run --example import-synthetic -- [cases, default 50] [documents per case, default 10]
fn main() {
    let mut args = std::env::args().skip(1);
    let cases = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let documents = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    print!(
        "{}",
        borgerblik::import::synthetic::fremsoeg_citizen("0101900000", cases, documents)
    );
}
