//! The benchmarks' ratio table, on results laid out as criterion saves them.

use harness::bench::{Table, ratio_table};
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn save(dir: &Path, function: &str, parameter: &str, elements: u64, median_nanos: f64) {
    let new = dir.join("group").join(function).join(parameter).join("new");
    fs::create_dir_all(&new).unwrap();
    let id = format!(
        r#"{{"group_id":"group","function_id":"{function}","value_str":"{parameter}","throughput":{{"Elements":{elements}}}}}"#
    );
    fs::write(new.join("benchmark.json"), id).unwrap();
    let estimates = format!(r#"{{"median":{{"point_estimate":{median_nanos}}}}}"#);
    fs::write(new.join("estimates.json"), estimates).unwrap();
}

#[test]
fn the_ratio_table_divides_each_time_per_element_by_the_baselines() {
    let dir = std::env::temp_dir().join(format!("harness-ratio-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let started = SystemTime::now() - Duration::from_secs(60);
    save(&dir, "fast", "1", 10, 100.0); // 10 ns per element
    save(&dir, "slow", "1", 10, 400.0); // 40 ns: 4× fast
    save(&dir, "fast", "2", 20, 300.0); // 15 ns
    save(&dir, "slow", "2", 20, 1500.0); // 75 ns: 5× fast

    let functions = ["fast", "slow"];
    let measured = Table {
        group: "group",
        parameter: "threads",
        element: "thing",
        functions: &functions,
        columns: &[],
    };
    let table = ratio_table(&dir, &measured, started);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    assert!(
        table.lines().nth(2).unwrap().contains("threads = 1"),
        "{table}"
    );
    assert!(row("fast").contains("10.00 ns   1.00×"), "{table}");
    assert!(row("fast").contains("15.00 ns   1.00×"), "{table}");
    assert!(row("slow").contains("40.00 ns   4.00×"), "{table}");
    assert!(row("slow").contains("75.00 ns   5.00×"), "{table}");

    // Results saved before this run started are not this run's: left out.
    let later = SystemTime::now() + Duration::from_secs(60);
    let stale = ratio_table(&dir, &measured, later);
    assert!(stale.contains("no results from this run"), "{stale}");
    fs::remove_dir_all(&dir).unwrap();
}
