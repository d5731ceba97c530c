//! `cargo xtask check-statuses`: every status the test servers answered (written by the servers
//! to `target/api-statuses/*.log` as `METHOD route status`) is documented for that operation in
//! `openapi/openapi.json`. Answers to paths or methods the document does not have (the 404 and
//! 405 of unknown routes) are not operations and are left out.

use crate::root;
use anyhow::{Context, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn log_dir() -> PathBuf {
    root().join("target").join("api-statuses")
}

/// Removes the logs of earlier runs.
pub fn clear() -> anyhow::Result<()> {
    let dir = log_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
}

/// Fails, listing them, when an answered status is not documented for its operation.
pub fn check() -> anyhow::Result<()> {
    let spec_path = root().join("openapi/openapi.json");
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&spec_path)
            .with_context(|| format!("reading {}", spec_path.display()))?,
    )?;
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let dir = log_dir();
    let entries = std::fs::read_dir(&dir).with_context(|| {
        format!(
            "reading {} (run the integration tests first)",
            dir.display()
        )
    })?;
    for entry in entries {
        let text = std::fs::read_to_string(entry?.path())?;
        for line in text.lines() {
            let mut parts = line.split(' ');
            if let (Some(method), Some(route), Some(status)) =
                (parts.next(), parts.next(), parts.next())
            {
                *seen
                    .entry((method.to_lowercase(), route.to_string(), status.to_string()))
                    .or_default() += 1;
            }
        }
    }
    let mut operations = BTreeSet::new();
    let mut undocumented = Vec::new();
    for ((method, route, status), count) in &seen {
        let Some(responses) =
            spec["paths"][route.as_str()][method.as_str()]["responses"].as_object()
        else {
            continue;
        };
        operations.insert((method, route));
        if !responses.contains_key(status) && !responses.contains_key("default") {
            undocumented.push(format!(
                "{} {route} answered {status} ({count} times)",
                method.to_uppercase()
            ));
        }
    }
    println!(
        "xtask: {} operations answered {} (operation, status) pairs in the tests",
        operations.len(),
        seen.len()
    );
    if undocumented.is_empty() {
        return Ok(());
    }
    for line in &undocumented {
        eprintln!("xtask: undocumented: {line}");
    }
    bail!(
        "{} statuses answered in the tests are not in openapi/openapi.json",
        undocumented.len()
    )
}
