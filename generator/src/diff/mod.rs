//! Spec drift for users of the generated client: two models compared through their public
//! surface ([`surface`]), each change classified as breaking, compatible or documentation only
//! (`classify`), and the version bump the generated crate needs.
//!
//! The rules know what the generated code does: responses keep unknown fields and enum values,
//! so a new response field or enum value is compatible; requests are built with builders and
//! validated, so a new optional request field is compatible and a new required one breaks; a
//! field whose Rust type changes between `T`, `Option<T>` and `Nullable<T>` breaks the code
//! reading it.

mod classify;
pub mod surface;

use std::fmt::Write as _;

pub use classify::Ignore;
use surface::Surface;

use crate::model::Api;

/// How a change affects code using the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code using the client can stop compiling, or requests that passed start failing.
    Breaking,
    /// The crate absorbs it: existing code compiles and behaves as before.
    Compatible,
    /// Only documentation changed.
    Docs,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
            Impact::Docs => "docs",
        }
    }
}

/// One change: what changed (`type \`Foo\`: field \`bar\``) and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub impact: Impact,
    pub subject: String,
    pub change: String,
}

/// Every change between two specs, breaking ones first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// The version bump a change set needs under semver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// Compares the models of two specs.
pub fn compare(old: &Api, new: &Api, ignore: Ignore) -> Report {
    let mut changes = classify::compare(&Surface::of(old), &Surface::of(new), ignore);
    changes.sort_by(|a, b| (a.impact, &a.subject).cmp(&(b.impact, &b.subject)));
    Report { changes }
}

impl Report {
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|change| change.impact == impact).count()
    }

    pub fn is_breaking(&self) -> bool {
        self.count(Impact::Breaking) > 0
    }

    /// The bump these changes need: major for a breaking change, minor for an addition, patch
    /// for documentation.
    pub fn bump(&self) -> Bump {
        match self.changes.iter().map(|change| change.impact).min() {
            None => Bump::None,
            Some(Impact::Breaking) => Bump::Major,
            Some(Impact::Compatible) => Bump::Minor,
            Some(Impact::Docs) => Bump::Patch,
        }
    }

    /// The version after the bump. Before 1.0, cargo treats the minor number as major, so a
    /// breaking change bumps the minor number and an addition the patch number.
    pub fn next_version(&self, version: &str) -> String {
        let mut parts = version.split(['.', '-', '+']).take(3).map(|part| part.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        let bump = match (self.bump(), major) {
            (Bump::Major, 0) => Bump::Minor,
            (Bump::Minor, 0) => Bump::Patch,
            (bump, _) => bump,
        };
        match bump {
            Bump::None => format!("{major}.{minor}.{patch}"),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        }
    }

    /// One line: how many changes of each kind, and the bump from `version`.
    pub fn summary(&self, version: &str) -> String {
        if self.changes.is_empty() {
            return "no change to the generated client".to_string();
        }
        let bump = match self.bump() {
            Bump::Major => "breaking",
            Bump::Minor => "compatible",
            Bump::Patch | Bump::None => "documentation only",
        };
        format!(
            "{} breaking, {} compatible, {} docs-only change(s): {bump}; the crate goes from {version} to {}",
            self.count(Impact::Breaking),
            self.count(Impact::Compatible),
            self.count(Impact::Docs),
            self.next_version(version)
        )
    }

    /// A table, one change a line, then the summary.
    pub fn table(&self, version: &str) -> String {
        let width = self.changes.iter().map(|change| change.subject.chars().count()).max().unwrap_or(0);
        let mut out = String::new();
        for change in &self.changes {
            let pad = " ".repeat(width - change.subject.chars().count());
            let _ = writeln!(out, "{:<10}  {}{pad}  {}", change.impact.as_str(), change.subject, change.change);
        }
        out.push_str(&self.summary(version));
        out.push('\n');
        out
    }

    /// The report as JSON: the changes, the counts, the bump and the next version.
    pub fn json(&self, version: &str) -> String {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|change| {
                serde_json::json!({
                    "impact": change.impact.as_str(),
                    "subject": change.subject,
                    "change": change.change,
                })
            })
            .collect();
        let bump = match self.bump() {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        };
        let value = serde_json::json!({
            "changes": changes,
            "breaking": self.count(Impact::Breaking),
            "compatible": self.count(Impact::Compatible),
            "docs": self.count(Impact::Docs),
            "bump": bump,
            "version": version,
            "next_version": self.next_version(version),
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(impacts: &[Impact]) -> Report {
        let changes = impacts
            .iter()
            .map(|&impact| Change { impact, subject: "s".to_string(), change: "c".to_string() })
            .collect();
        Report { changes }
    }

    fn lowered(spec: &str, config: &str) -> Api {
        let document: openapiv3::OpenAPI = serde_yaml::from_str(spec).expect("a valid document");
        let config = crate::config::Config::parse(std::path::Path::new("codegen.toml"), config).expect("a config");
        crate::model::lower_with_config(&document, Some("t"), &config).expect("lowers").0
    }

    const PET: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /pet:\n    get:\n      operationId: getPet\n      responses:\n        '200':\n          description: A pet.\n          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n        owner: {type: string}\n";

    #[test]
    fn nullable_optional_fields_and_sensitivity_from_the_config() {
        let old = lowered(PET, "");
        let nullable = lowered(&PET.replace("name: {type: string}", "name: {type: string, nullable: true}"), "");
        let report = compare(&old, &nullable, Ignore::default());
        assert_eq!(report.changes.len(), 1, "{report:?}");
        assert_eq!(report.changes[0].impact, Impact::Breaking);
        assert!(report.changes[0].change.contains("from `Option<T>` to `Nullable<T>`"), "{report:?}");

        let marked = lowered(PET, "[sensitive]\nPet.owner = true\n");
        let report = compare(&old, &marked, Ignore::default());
        assert_eq!(report.changes.len(), 1, "{report:?}");
        assert_eq!(report.changes[0].impact, Impact::Compatible, "only `Debug` changes");
        assert_eq!(report.changes[0].change, "now sensitive: `Debug` hides its value");
        let secret = lowered(&PET.replace("owner: {type: string}", "owner: {type: string, x-sensitive: true}"), "");
        let report = compare(&old, &secret, Ignore::default());
        assert_eq!(report.changes[0].impact, Impact::Breaking, "a string becomes a `Secret`");
        assert!(compare(&old, &marked, Ignore { sensitivity: true, ..Ignore::default() }).changes.is_empty());
    }

    #[test]
    fn the_bump_follows_semver_and_cargo_before_one() {
        assert_eq!(report(&[]).next_version("0.1.0"), "0.1.0");
        assert_eq!(report(&[Impact::Docs]).next_version("0.1.0"), "0.1.1");
        assert_eq!(report(&[Impact::Docs, Impact::Compatible]).next_version("0.1.3"), "0.1.4");
        assert_eq!(report(&[Impact::Compatible, Impact::Breaking]).next_version("0.1.3"), "0.2.0");
        assert_eq!(report(&[Impact::Compatible]).next_version("1.2.3"), "1.3.0");
        assert_eq!(report(&[Impact::Breaking]).next_version("1.2.3"), "2.0.0");
        assert_eq!(report(&[Impact::Docs]).next_version("1.2.3-beta.1"), "1.2.4");
    }
}
