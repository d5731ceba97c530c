//! Criteria sets (bộ tiêu chí): their structure, the pass rule, the checks a set must pass before it
//! can be used, and the scoring of one assessment against a set (DOMAIN.md §6).
//!
//! A set is data: competencies contain criteria, criteria contain scored indicators. The server
//! computes every total from indicator scores with [`score`]; a client never sends totals. The SPA
//! uses [`partial_total`] for the running total while an officer types.

use crate::error::FieldError;
use crate::text::clean;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// The tree of a criteria set: competencies → criteria → indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriteriaStructure {
    pub competencies: Vec<Competency>,
}

/// A core competency (năng lực cốt lõi).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Competency {
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Năng lực tự học và học tập suốt đời")
    )]
    pub name: String,
    pub criteria: Vec<Criterion>,
}

/// A criterion (tiêu chí) of a competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    #[cfg_attr(feature = "openapi", schema(example = "1.1"))]
    pub code: String,
    pub name: String,
    pub indicators: Vec<Indicator>,
}

/// A scored indicator (chỉ số) of a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    /// Unique across the whole set; scores are keyed by it.
    #[cfg_attr(feature = "openapi", schema(example = "1.1.1"))]
    pub code: String,
    pub name: String,
    /// The most points this indicator can earn; at least 1.
    #[cfg_attr(feature = "openapi", schema(example = 10))]
    pub max_points: u32,
    #[serde(default)]
    pub evidence: EvidencePolicy,
}

/// Whether an indicator asks for evidence (minh chứng). The pilot showed that evidence must be
/// optional per indicator, and that a reviewer's confirmation counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidencePolicy {
    /// No evidence is asked for.
    #[default]
    None,
    /// Evidence may be attached.
    Optional,
    /// Evidence (or a reviewer's confirmation) is needed.
    Required,
}

impl EvidencePolicy {
    pub const ALL: [EvidencePolicy; 3] = [
        EvidencePolicy::None,
        EvidencePolicy::Optional,
        EvidencePolicy::Required,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidencePolicy::None => "none",
            EvidencePolicy::Optional => "optional",
            EvidencePolicy::Required => "required",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EvidencePolicy::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl fmt::Display for EvidencePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When an assessment passes: `total ≥ min_total` and no indicator below `min_per_indicator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassRule {
    #[cfg_attr(feature = "openapi", schema(example = 80))]
    pub min_total: u32,
    #[cfg_attr(feature = "openapi", schema(example = 5))]
    pub min_per_indicator: u32,
}

// ---------------------------------------------------------------------------------------------
// Checking a set
// ---------------------------------------------------------------------------------------------

/// What is wrong with one part of a criteria set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CriteriaProblem {
    #[error("a criteria set needs at least one competency")]
    NoCompetencies,
    #[error("a competency needs at least one criterion")]
    NoCriteria,
    #[error("a criterion needs at least one indicator")]
    NoIndicators,
    #[error("the code must not be empty")]
    CodeRequired,
    #[error("the code {code} is used more than once in this criteria set")]
    DuplicateCode { code: String },
    #[error("the name must not be empty")]
    NameRequired,
    #[error("an indicator must be worth at least 1 point")]
    MaxPointsZero,
    #[error(
        "the pass mark ({min_total}) is higher than the points the criteria set can give ({total})"
    )]
    PassMarkUnreachable { min_total: u32, total: u64 },
    #[error(
        "the indicator is worth {max_points} points, less than the {min_per_indicator} every \
         indicator needs to pass"
    )]
    IndicatorBelowMinimum {
        max_points: u32,
        min_per_indicator: u32,
    },
}

impl CriteriaProblem {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        match self {
            CriteriaProblem::NoCompetencies => "no_competencies",
            CriteriaProblem::NoCriteria => "no_criteria",
            CriteriaProblem::NoIndicators => "no_indicators",
            CriteriaProblem::CodeRequired => "code_required",
            CriteriaProblem::DuplicateCode { .. } => "duplicate_code",
            CriteriaProblem::NameRequired => "name_required",
            CriteriaProblem::MaxPointsZero => "max_points_zero",
            CriteriaProblem::PassMarkUnreachable { .. } => "pass_mark_unreachable",
            CriteriaProblem::IndicatorBelowMinimum { .. } => "indicator_below_minimum",
        }
    }
}

/// One problem of a criteria set and where it is.
///
/// `path` is relative to an object holding `competencies` and `pass_rule` side by side, e.g.
/// `competencies[0].criteria[2].indicators[1].max_points` or `pass_rule.min_total`; a request body
/// that nests the structure deeper prefixes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct CriteriaError {
    pub path: String,
    pub problem: CriteriaProblem,
}

impl CriteriaError {
    fn new(path: impl Into<String>, problem: CriteriaProblem) -> Self {
        CriteriaError {
            path: path.into(),
            problem,
        }
    }

    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// English explanation, without the path.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl From<&CriteriaError> for FieldError {
    fn from(e: &CriteriaError) -> Self {
        FieldError {
            field: e.path.clone(),
            code: e.code().to_string(),
            message: e.message(),
        }
    }
}

impl CriteriaStructure {
    /// Checks that the set can be used with `rule`. Returns every problem found, in tree order,
    /// with the pass-rule problem (if any) last.
    pub fn validate(&self, rule: &PassRule) -> Result<(), Vec<CriteriaError>> {
        let mut errors = Vec::new();
        let mut seen_codes: HashSet<&str> = HashSet::new();
        if self.competencies.is_empty() {
            errors.push(CriteriaError::new(
                "competencies",
                CriteriaProblem::NoCompetencies,
            ));
        }
        let mut total: u64 = 0;
        for (ci, competency) in self.competencies.iter().enumerate() {
            let cpath = format!("competencies[{ci}]");
            check_code_and_name(
                &cpath,
                &competency.code,
                &competency.name,
                &mut seen_codes,
                &mut errors,
            );
            if competency.criteria.is_empty() {
                errors.push(CriteriaError::new(
                    format!("{cpath}.criteria"),
                    CriteriaProblem::NoCriteria,
                ));
            }
            for (ki, criterion) in competency.criteria.iter().enumerate() {
                let kpath = format!("{cpath}.criteria[{ki}]");
                check_code_and_name(
                    &kpath,
                    &criterion.code,
                    &criterion.name,
                    &mut seen_codes,
                    &mut errors,
                );
                if criterion.indicators.is_empty() {
                    errors.push(CriteriaError::new(
                        format!("{kpath}.indicators"),
                        CriteriaProblem::NoIndicators,
                    ));
                }
                for (ii, indicator) in criterion.indicators.iter().enumerate() {
                    let ipath = format!("{kpath}.indicators[{ii}]");
                    check_code_and_name(
                        &ipath,
                        &indicator.code,
                        &indicator.name,
                        &mut seen_codes,
                        &mut errors,
                    );
                    total += u64::from(indicator.max_points);
                    if indicator.max_points == 0 {
                        errors.push(CriteriaError::new(
                            format!("{ipath}.max_points"),
                            CriteriaProblem::MaxPointsZero,
                        ));
                    } else if indicator.max_points < rule.min_per_indicator {
                        errors.push(CriteriaError::new(
                            format!("{ipath}.max_points"),
                            CriteriaProblem::IndicatorBelowMinimum {
                                max_points: indicator.max_points,
                                min_per_indicator: rule.min_per_indicator,
                            },
                        ));
                    }
                }
            }
        }
        if u64::from(rule.min_total) > total {
            errors.push(CriteriaError::new(
                "pass_rule.min_total",
                CriteriaProblem::PassMarkUnreachable {
                    min_total: rule.min_total,
                    total,
                },
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The points a perfect assessment earns (saturating; a valid set is far below `u32::MAX`).
    pub fn total_max(&self) -> u32 {
        self.indicators()
            .fold(0u32, |sum, i| sum.saturating_add(i.max_points))
    }

    /// The indicator with this code, if any.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators().find(|i| i.code == code)
    }

    /// Every indicator, in tree order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.competencies
            .iter()
            .flat_map(|c| &c.criteria)
            .flat_map(|k| &k.indicators)
    }

    /// The same set with every code and name in NFC, trimmed, inner white space collapsed; what
    /// the server stores.
    pub fn cleaned(mut self) -> Self {
        for competency in &mut self.competencies {
            competency.code = clean(&competency.code);
            competency.name = clean(&competency.name);
            for criterion in &mut competency.criteria {
                criterion.code = clean(&criterion.code);
                criterion.name = clean(&criterion.name);
                for indicator in &mut criterion.indicators {
                    indicator.code = clean(&indicator.code);
                    indicator.name = clean(&indicator.name);
                }
            }
        }
        self
    }
}

fn check_code_and_name<'a>(
    path: &str,
    code: &'a str,
    name: &str,
    seen_codes: &mut HashSet<&'a str>,
    errors: &mut Vec<CriteriaError>,
) {
    if code.trim().is_empty() {
        errors.push(CriteriaError::new(
            format!("{path}.code"),
            CriteriaProblem::CodeRequired,
        ));
    } else if !seen_codes.insert(code) {
        errors.push(CriteriaError::new(
            format!("{path}.code"),
            CriteriaProblem::DuplicateCode {
                code: code.to_string(),
            },
        ));
    }
    if name.trim().is_empty() {
        errors.push(CriteriaError::new(
            format!("{path}.name"),
            CriteriaProblem::NameRequired,
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// Points per indicator code, as an officer enters them.
pub type Scores = BTreeMap<String, u32>;

/// The outcome of scoring one assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreResult {
    /// Sum of the indicator scores.
    #[cfg_attr(feature = "openapi", schema(example = 86))]
    pub total: u32,
    /// Sum of the indicators' maximum points.
    #[cfg_attr(feature = "openapi", schema(example = 100))]
    pub max: u32,
    /// Đạt: `total ≥ min_total` and no indicator below `min_per_indicator`.
    pub passed: bool,
    /// Codes of the indicators below `min_per_indicator`, in tree order.
    pub failing_indicators: Vec<String>,
}

/// What is wrong with one score.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreProblem {
    #[error("this indicator has no score")]
    Missing,
    #[error("the criteria set has no indicator with this code")]
    UnknownIndicator,
    #[error("the score {score} is above the {max_points} points this indicator is worth")]
    AboveMax { score: u32, max_points: u32 },
}

impl ScoreProblem {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        match self {
            ScoreProblem::Missing => "missing",
            ScoreProblem::UnknownIndicator => "unknown_indicator",
            ScoreProblem::AboveMax { .. } => "above_max",
        }
    }
}

/// One problem of a set of scores: `path` is `scores.<indicator code>`, e.g. `scores.1.1.1`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct ScoreError {
    pub path: String,
    pub problem: ScoreProblem,
}

impl ScoreError {
    fn new(code: &str, problem: ScoreProblem) -> Self {
        ScoreError {
            path: format!("scores.{code}"),
            problem,
        }
    }

    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// English explanation, without the path.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl From<&ScoreError> for FieldError {
    fn from(e: &ScoreError) -> Self {
        FieldError {
            field: e.path.clone(),
            code: e.code().to_string(),
            message: e.message(),
        }
    }
}

/// Scores an assessment: every indicator of `structure` must have a score no higher than its
/// maximum, and no other code may appear. Errors come in tree order, unknown codes last.
pub fn score(
    structure: &CriteriaStructure,
    rule: &PassRule,
    scores: &Scores,
) -> Result<ScoreResult, Vec<ScoreError>> {
    let mut errors = Vec::new();
    let mut total: u32 = 0;
    let mut failing_indicators = Vec::new();
    for indicator in structure.indicators() {
        match scores.get(&indicator.code) {
            None => errors.push(ScoreError::new(&indicator.code, ScoreProblem::Missing)),
            Some(&points) if points > indicator.max_points => errors.push(ScoreError::new(
                &indicator.code,
                ScoreProblem::AboveMax {
                    score: points,
                    max_points: indicator.max_points,
                },
            )),
            Some(&points) => {
                total = total.saturating_add(points);
                if points < rule.min_per_indicator {
                    failing_indicators.push(indicator.code.clone());
                }
            }
        }
    }
    for code in scores.keys() {
        if structure.indicator(code).is_none() {
            errors.push(ScoreError::new(code, ScoreProblem::UnknownIndicator));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ScoreResult {
        total,
        max: structure.total_max(),
        passed: total >= rule.min_total && failing_indicators.is_empty(),
        failing_indicators,
    })
}

/// The running total while scores are typed: sums the scores of known indicators as they are,
/// ignoring unknown codes and checking nothing.
pub fn partial_total(structure: &CriteriaStructure, scores: &Scores) -> u32 {
    structure
        .indicators()
        .filter_map(|i| scores.get(&i.code))
        .fold(0u32, |sum, &points| sum.saturating_add(points))
}

// ---------------------------------------------------------------------------------------------
// The default template
// ---------------------------------------------------------------------------------------------

/// How the default title starts: it is a template, to be replaced by the official text of
/// Decision 324/QĐ-KHVN, which is not available to us.
pub const TEMPLATE_TITLE_PREFIX: &str =
    "[MẪU – thay bằng văn bản chính thức] Bộ tiêu chí Công dân học tập";

/// The Vietnamese name of a known target-group code (`farmer`, `worker`, `official`).
pub fn target_group_name(code: &str) -> Option<&'static str> {
    match code {
        "farmer" => Some("Nông dân, lao động nông thôn"),
        "worker" => Some("Công nhân, lao động thủ công"),
        "official" => Some("Cán bộ, công chức, viên chức, lao động trí thức"),
        _ => None,
    }
}

/// (competency name, [(criterion name, indicator name)]): one indicator of 10 points per
/// criterion, so that "no indicator below 5" means half marks on every criterion.
const TEMPLATE: [(&str, &[(&str, &str)]); 3] = [
    (
        "Năng lực tự học và học tập suốt đời",
        &[
            (
                "Có nhu cầu và kế hoạch học tập",
                "Tham gia học tập thường xuyên, có kế hoạch tự học",
            ),
            (
                "Tham gia các hình thức học tập",
                "Tham gia ít nhất một lớp học, khóa bồi dưỡng hoặc buổi sinh hoạt chuyên đề trong năm",
            ),
            (
                "Vận dụng kiến thức vào lao động, sản xuất và đời sống",
                "Áp dụng kiến thức, kỹ năng đã học để nâng cao hiệu quả công việc và cải thiện đời sống",
            ),
            (
                "Chia sẻ và lan tỏa tinh thần học tập",
                "Chia sẻ kiến thức, kinh nghiệm; động viên người thân và cộng đồng cùng học tập",
            ),
        ],
    ),
    (
        "Năng lực sử dụng các công cụ tương tác (thiết bị thông minh, dịch vụ số, ngoại ngữ)",
        &[
            (
                "Sử dụng thiết bị thông minh và dịch vụ số",
                "Sử dụng điện thoại thông minh, máy tính và các dịch vụ công trực tuyến",
            ),
            (
                "Khai thác thông tin và học tập trên môi trường số",
                "Tìm kiếm, chọn lọc thông tin và học tập trực tuyến phục vụ công việc và đời sống",
            ),
            (
                "An toàn trên không gian mạng",
                "Bảo vệ thông tin cá nhân, nhận biết và phòng tránh lừa đảo trên không gian mạng",
            ),
            (
                "Sử dụng ngoại ngữ",
                "Giao tiếp được bằng ngoại ngữ ở mức cơ bản, phù hợp với công việc và đời sống",
            ),
        ],
    ),
    (
        "Năng lực xây dựng và duy trì các mối quan hệ xã hội trong cộng đồng và nơi làm việc",
        &[
            (
                "Quan hệ trong gia đình và cộng đồng",
                "Tham gia các hoạt động cộng đồng, xây dựng gia đình học tập",
            ),
            (
                "Quan hệ tại nơi làm việc",
                "Hợp tác, tôn trọng đồng nghiệp; chấp hành nội quy nơi làm việc và pháp luật",
            ),
        ],
    ),
];

/// Points of each template indicator.
const TEMPLATE_POINTS: u32 = 10;

/// The default criteria set for a target group: 3 competencies, 10 criteria, 100 points, pass at
/// 80 with no indicator below 5, evidence optional everywhere (DOMAIN.md §6).
///
/// It is a TEMPLATE: its title says so, and the Association must replace the wording with the
/// official text. The structure is the same for every group; the title names the group (an
/// unknown code is named as given).
pub fn default_template(target_group: &str) -> (String, CriteriaStructure, PassRule) {
    let group = target_group_name(target_group).unwrap_or(target_group);
    let title = format!("{TEMPLATE_TITLE_PREFIX} – {group}");
    let competencies = TEMPLATE
        .iter()
        .zip(1..)
        .map(|(&(name, criteria), c)| Competency {
            code: c.to_string(),
            name: name.to_string(),
            criteria: criteria
                .iter()
                .zip(1..)
                .map(|(&(criterion, indicator), k)| Criterion {
                    code: format!("{c}.{k}"),
                    name: criterion.to_string(),
                    indicators: vec![Indicator {
                        code: format!("{c}.{k}.1"),
                        name: indicator.to_string(),
                        max_points: TEMPLATE_POINTS,
                        evidence: EvidencePolicy::Optional,
                    }],
                })
                .collect(),
        })
        .collect();
    let rule = PassRule {
        min_total: 80,
        min_per_indicator: 5,
    };
    (title, CriteriaStructure { competencies }, rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    fn template() -> (CriteriaStructure, PassRule) {
        let (_, structure, rule) = default_template("farmer");
        (structure, rule)
    }

    fn indicator(code: &str, max_points: u32) -> Indicator {
        Indicator {
            code: code.into(),
            name: format!("Chỉ số {code}"),
            max_points,
            evidence: EvidencePolicy::None,
        }
    }

    #[test]
    fn the_default_template_has_the_known_shape() {
        let (title, structure, rule) = default_template("farmer");
        assert!(title.starts_with(TEMPLATE_TITLE_PREFIX), "{title}");
        assert!(
            title.starts_with("[MẪU – thay bằng văn bản chính thức] Bộ tiêu chí Công dân học tập"),
            "{title}"
        );
        let per_competency: Vec<usize> = structure
            .competencies
            .iter()
            .map(|c| c.criteria.len())
            .collect();
        assert_eq!(per_competency, vec![4, 4, 2]);
        let criteria: Vec<&Criterion> = structure
            .competencies
            .iter()
            .flat_map(|c| &c.criteria)
            .collect();
        assert_eq!(criteria.len(), 10);
        assert!(
            criteria
                .iter()
                .all(|k| (1..=2).contains(&k.indicators.len()))
        );
        assert_eq!(structure.total_max(), 100);
        assert_eq!(
            rule,
            PassRule {
                min_total: 80,
                min_per_indicator: 5
            }
        );
        assert!(
            structure
                .indicators()
                .all(|i| i.evidence == EvidencePolicy::Optional)
        );
        assert_eq!(structure.validate(&rule), Ok(()));
        assert_eq!(structure.clone().cleaned(), structure);
        let codes: Vec<&str> = structure.indicators().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "1.1.1", "1.2.1", "1.3.1", "1.4.1", "2.1.1", "2.2.1", "2.3.1", "2.4.1", "3.1.1",
                "3.2.1"
            ]
        );
        assert_eq!(
            structure.competencies[0].name,
            "Năng lực tự học và học tập suốt đời"
        );
    }

    #[test]
    fn the_default_template_is_in_nfc_and_names_the_group() {
        let cases = [
            ("farmer", "Nông dân, lao động nông thôn"),
            ("worker", "Công nhân, lao động thủ công"),
            (
                "official",
                "Cán bộ, công chức, viên chức, lao động trí thức",
            ),
            ("other", "other"),
        ];
        for (group, name) in cases {
            let (title, structure, _) = default_template(group);
            assert_eq!(title, format!("{TEMPLATE_TITLE_PREFIX} – {name}"));
            assert!(is_nfc(&title), "{title}");
            for c in &structure.competencies {
                assert!(is_nfc(&c.name), "{}", c.name);
                for k in &c.criteria {
                    assert!(is_nfc(&k.name), "{}", k.name);
                    for i in &k.indicators {
                        assert!(is_nfc(&i.name), "{}", i.name);
                    }
                }
            }
            assert_eq!(structure, template().0, "{group}");
        }
    }

    #[test]
    fn lookups_find_indicators_by_code() {
        let (structure, _) = template();
        assert_eq!(
            structure.indicator("2.1.1").map(|i| i.name.as_str()),
            Some("Sử dụng điện thoại thông minh, máy tính và các dịch vụ công trực tuyến")
        );
        assert_eq!(structure.indicator("2.1"), None);
        assert_eq!(structure.indicator("9.9.9"), None);
        assert_eq!(structure.indicators().count(), 10);
    }

    type Edit = fn(&mut CriteriaStructure, &mut PassRule);
    /// Expected (path, code) pairs.
    type Expected = Vec<(&'static str, &'static str)>;
    type ExpectedOwned = Vec<(String, &'static str)>;

    #[test]
    fn invalid_criteria_sets_are_refused_with_paths() {
        let cases: Vec<(&str, Edit, Expected)> = vec![
            (
                "no competencies",
                |s, r| {
                    s.competencies.clear();
                    r.min_total = 0;
                },
                vec![("competencies", "no_competencies")],
            ),
            (
                "no competencies, pass mark above nothing",
                |s, _| s.competencies.clear(),
                vec![
                    ("competencies", "no_competencies"),
                    ("pass_rule.min_total", "pass_mark_unreachable"),
                ],
            ),
            (
                "competency without criteria",
                |s, r| {
                    s.competencies[2].criteria.clear();
                    r.min_total = 80;
                },
                vec![("competencies[2].criteria", "no_criteria")],
            ),
            (
                "criterion without indicators",
                |s, r| {
                    s.competencies[0].criteria[1].indicators.clear();
                    r.min_total = 90;
                },
                vec![("competencies[0].criteria[1].indicators", "no_indicators")],
            ),
            (
                "empty codes",
                |s, _| {
                    s.competencies[0].code = " ".into();
                    s.competencies[1].criteria[0].code = String::new();
                    s.competencies[2].criteria[1].indicators[0].code = "\t".into();
                },
                vec![
                    ("competencies[0].code", "code_required"),
                    ("competencies[1].criteria[0].code", "code_required"),
                    (
                        "competencies[2].criteria[1].indicators[0].code",
                        "code_required",
                    ),
                ],
            ),
            (
                "duplicate codes, across levels too",
                |s, _| {
                    s.competencies[1].code = "1".into();
                    s.competencies[0].criteria[3].indicators[0].code = "1.1.1".into();
                    s.competencies[2].criteria[0].code = "1.2.1".into();
                },
                vec![
                    (
                        "competencies[0].criteria[3].indicators[0].code",
                        "duplicate_code",
                    ),
                    ("competencies[1].code", "duplicate_code"),
                    ("competencies[2].criteria[0].code", "duplicate_code"),
                ],
            ),
            (
                "blank names",
                |s, _| {
                    s.competencies[0].name = "  ".into();
                    s.competencies[0].criteria[0].name = String::new();
                    s.competencies[0].criteria[0].indicators[0].name = "\n".into();
                },
                vec![
                    ("competencies[0].name", "name_required"),
                    ("competencies[0].criteria[0].name", "name_required"),
                    (
                        "competencies[0].criteria[0].indicators[0].name",
                        "name_required",
                    ),
                ],
            ),
            (
                "an indicator worth nothing",
                |s, r| {
                    s.competencies[1].criteria[2].indicators[0].max_points = 0;
                    r.min_total = 90;
                },
                vec![(
                    "competencies[1].criteria[2].indicators[0].max_points",
                    "max_points_zero",
                )],
            ),
            (
                "an indicator that can never reach the minimum",
                |s, r| {
                    s.competencies[0].criteria[2].indicators = vec![indicator("1.3.1", 4)];
                    r.min_total = 94;
                },
                vec![(
                    "competencies[0].criteria[2].indicators[0].max_points",
                    "indicator_below_minimum",
                )],
            ),
            (
                "a pass mark above the maximum",
                |_, r| r.min_total = 101,
                vec![("pass_rule.min_total", "pass_mark_unreachable")],
            ),
            (
                "a minimum per indicator above every maximum",
                |s, r| {
                    s.competencies.truncate(1);
                    s.competencies[0].criteria.truncate(1);
                    r.min_total = 10;
                    r.min_per_indicator = 11;
                },
                vec![(
                    "competencies[0].criteria[0].indicators[0].max_points",
                    "indicator_below_minimum",
                )],
            ),
        ];
        for (name, edit, expected) in cases {
            let (mut structure, mut rule) = template();
            edit(&mut structure, &mut rule);
            let errors = structure.validate(&rule).expect_err(name);
            let got: Vec<(&str, &str)> =
                errors.iter().map(|e| (e.path.as_str(), e.code())).collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn edge_cases_that_are_valid() {
        let cases: Vec<(&str, Edit)> = vec![
            ("the template", |_, _| {}),
            ("pass mark equal to the maximum", |_, r| r.min_total = 100),
            ("no pass mark", |_, r| {
                *r = PassRule {
                    min_total: 0,
                    min_per_indicator: 0,
                }
            }),
            ("minimum per indicator equal to a maximum", |s, r| {
                s.competencies[0].criteria[0].indicators =
                    vec![indicator("1.1.1", 5), indicator("1.1.2", 5)];
                r.min_per_indicator = 5;
            }),
        ];
        for (name, edit) in cases {
            let (mut structure, mut rule) = template();
            edit(&mut structure, &mut rule);
            assert_eq!(structure.validate(&rule), Ok(()), "{name}");
        }
    }

    #[test]
    fn criteria_errors_become_field_errors() {
        let (mut structure, mut rule) = template();
        rule.min_total = 95;
        structure.competencies[0].criteria[0].indicators[0].max_points = 0;
        let errors = structure.validate(&rule).expect_err("invalid");
        let fields: Vec<FieldError> = errors.iter().map(FieldError::from).collect();
        assert_eq!(
            fields,
            vec![
                FieldError {
                    field: "competencies[0].criteria[0].indicators[0].max_points".into(),
                    code: "max_points_zero".into(),
                    message: "an indicator must be worth at least 1 point".into(),
                },
                FieldError {
                    field: "pass_rule.min_total".into(),
                    code: "pass_mark_unreachable".into(),
                    message: "the pass mark (95) is higher than the points the criteria set can \
                              give (90)"
                        .into(),
                },
            ]
        );
    }

    /// Template scores: every indicator at `base`, then the overrides.
    fn scores(base: u32, overrides: &[(&str, u32)]) -> Scores {
        let (structure, _) = template();
        let mut scores: Scores = structure
            .indicators()
            .map(|i| (i.code.clone(), base))
            .collect();
        for (code, points) in overrides {
            scores.insert((*code).to_string(), *points);
        }
        scores
    }

    #[test]
    fn scores_pass_with_80_and_no_indicator_below_5() {
        let cases: Vec<(&str, Scores, u32, bool, Vec<&str>)> = vec![
            ("all 8: exactly 80", scores(8, &[]), 80, true, vec![]),
            ("all 10", scores(10, &[]), 100, true, vec![]),
            ("79", scores(8, &[("3.2.1", 7)]), 79, false, vec![]),
            (
                "85 with one indicator at 4",
                scores(9, &[("1.2.1", 4)]),
                85,
                false,
                vec!["1.2.1"],
            ),
            (
                "80 with all at least 5",
                scores(
                    5,
                    &[
                        ("1.1.1", 10),
                        ("1.2.1", 10),
                        ("1.3.1", 10),
                        ("1.4.1", 10),
                        ("2.1.1", 10),
                        ("2.2.1", 10),
                    ],
                ),
                80,
                true,
                vec![],
            ),
            (
                "two indicators below 5, listed in tree order",
                scores(10, &[("3.1.1", 0), ("1.4.1", 4)]),
                84,
                false,
                vec!["1.4.1", "3.1.1"],
            ),
            ("all 0", scores(0, &[]), 0, false, codes_of_template()),
        ];
        let (structure, rule) = template();
        for (name, scores, total, passed, failing) in cases {
            let result = score(&structure, &rule, &scores).expect(name);
            assert_eq!(
                result,
                ScoreResult {
                    total,
                    max: 100,
                    passed,
                    failing_indicators: failing.into_iter().map(String::from).collect(),
                },
                "{name}"
            );
            assert_eq!(partial_total(&structure, &scores), total, "{name}");
        }
    }

    fn codes_of_template() -> Vec<&'static str> {
        vec![
            "1.1.1", "1.2.1", "1.3.1", "1.4.1", "2.1.1", "2.2.1", "2.3.1", "2.4.1", "3.1.1",
            "3.2.1",
        ]
    }

    #[test]
    fn invalid_scores_are_refused_with_paths() {
        let mut missing = scores(8, &[]);
        missing.remove("2.3.1");
        let mut missing_and_unknown = scores(8, &[("1.1", 5), ("9.9.9", 1)]);
        missing_and_unknown.remove("1.1.1");
        let all_missing: ExpectedOwned = codes_of_template()
            .into_iter()
            .map(|c| (format!("scores.{c}"), "missing"))
            .collect();
        let cases: Vec<(&str, Scores, ExpectedOwned)> = vec![
            (
                "above max",
                scores(8, &[("1.3.1", 11)]),
                vec![("scores.1.3.1".into(), "above_max")],
            ),
            ("missing", missing, vec![("scores.2.3.1".into(), "missing")]),
            (
                "unknown",
                scores(8, &[("4.1.1", 5)]),
                vec![("scores.4.1.1".into(), "unknown_indicator")],
            ),
            (
                "several at once",
                missing_and_unknown,
                vec![
                    ("scores.1.1.1".into(), "missing"),
                    ("scores.1.1".into(), "unknown_indicator"),
                    ("scores.9.9.9".into(), "unknown_indicator"),
                ],
            ),
            ("nothing scored", Scores::new(), all_missing),
        ];
        let (structure, rule) = template();
        for (name, scores, expected) in cases {
            let errors = score(&structure, &rule, &scores).expect_err(name);
            let got: Vec<(String, &str)> =
                errors.iter().map(|e| (e.path.clone(), e.code())).collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn score_errors_become_field_errors() {
        let (structure, rule) = template();
        let errors = score(&structure, &rule, &scores(8, &[("1.1.1", 12)])).expect_err("above");
        assert_eq!(
            FieldError::from(&errors[0]),
            FieldError {
                field: "scores.1.1.1".into(),
                code: "above_max".into(),
                message: "the score 12 is above the 10 points this indicator is worth".into(),
            }
        );
    }

    #[test]
    fn the_running_total_sums_what_is_there() {
        let (structure, _) = template();
        let cases: Vec<(Vec<(&str, u32)>, u32)> = vec![
            (vec![], 0),
            (vec![("1.1.1", 7)], 7),
            (vec![("1.1.1", 7), ("3.2.1", 9)], 16),
            (vec![("1.1.1", 7), ("9.9.9", 50)], 7),
            (vec![("1.1.1", 15)], 15),
        ];
        for (entries, expected) in cases {
            let scores: Scores = entries
                .iter()
                .map(|(c, p)| ((*c).to_string(), *p))
                .collect();
            assert_eq!(partial_total(&structure, &scores), expected, "{entries:?}");
        }
    }

    #[test]
    fn criteria_sets_travel_as_json() {
        let (structure, rule) = template();
        let json = serde_json::to_value(&structure).expect("serialise");
        assert_eq!(
            json["competencies"][0]["criteria"][0]["indicators"][0]["evidence"],
            "optional"
        );
        let back: CriteriaStructure = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back, structure);
        let without_evidence: Indicator =
            serde_json::from_str(r#"{"code":"1.1.1","name":"X","max_points":10}"#)
                .expect("deserialise");
        assert_eq!(without_evidence.evidence, EvidencePolicy::None);
        let rule_json = serde_json::to_string(&rule).expect("serialise");
        assert_eq!(rule_json, r#"{"min_total":80,"min_per_indicator":5}"#);
        for policy in EvidencePolicy::ALL {
            assert_eq!(EvidencePolicy::parse(policy.as_str()), Some(policy));
            assert_eq!(
                serde_json::to_string(&policy).expect("serialise"),
                format!("\"{policy}\"")
            );
        }
    }

    #[test]
    fn cleaning_normalises_codes_and_names() {
        use unicode_normalization::UnicodeNormalization;
        let decomposed: String = "Năng lực  tự học ".nfd().collect();
        let structure = CriteriaStructure {
            competencies: vec![Competency {
                code: " 1 ".into(),
                name: decomposed,
                criteria: vec![Criterion {
                    code: "1.1".into(),
                    name: "Tiêu chí".into(),
                    indicators: vec![indicator(" 1.1.1", 10)],
                }],
            }],
        }
        .cleaned();
        assert_eq!(structure.competencies[0].code, "1");
        assert_eq!(structure.competencies[0].name, "Năng lực tự học");
        assert_eq!(
            structure.competencies[0].criteria[0].indicators[0].code,
            "1.1.1"
        );
    }
}
