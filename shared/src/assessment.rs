//! The workflow of one assessment (DOMAIN.md §7) as a state machine.
//!
//! The status is an enum with one method per transition. Services apply a transition, write the
//! audit row (who, when, why) and commit; handlers never compare status strings. Conditions that
//! need more than the status (a note when returning to draft, a reason when revoking, the scores,
//! the recognition decision) are checked by the caller.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The stored status of an assessment. "Expired" is not stored: see [`AssessmentStatus::effective`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    /// The person is registered for the period; no self-assessment yet.
    Registered,
    /// The self-assessment is being filled in (also after being returned by a reviewer).
    Draft,
    /// Sent for review.
    Submitted,
    /// A reviewer has started.
    UnderReview,
    /// The review found the criteria met; waiting for a recognition decision.
    ReviewPassed,
    /// The review found the criteria not met. Final.
    ReviewFailed,
    /// Listed in a recognition decision; a certificate is issued.
    Recognised,
    /// The recognising unit decided not to recognise. Final.
    NotRecognised,
    /// A recognition taken back, with a reason. Final.
    Revoked,
    /// The registration was withdrawn before submission. Final.
    Withdrawn,
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 10] = [
        AssessmentStatus::Registered,
        AssessmentStatus::Draft,
        AssessmentStatus::Submitted,
        AssessmentStatus::UnderReview,
        AssessmentStatus::ReviewPassed,
        AssessmentStatus::ReviewFailed,
        AssessmentStatus::Recognised,
        AssessmentStatus::NotRecognised,
        AssessmentStatus::Revoked,
        AssessmentStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentStatus::Registered => "registered",
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Submitted => "submitted",
            AssessmentStatus::UnderReview => "under_review",
            AssessmentStatus::ReviewPassed => "review_passed",
            AssessmentStatus::ReviewFailed => "review_failed",
            AssessmentStatus::Recognised => "recognised",
            AssessmentStatus::NotRecognised => "not_recognised",
            AssessmentStatus::Revoked => "revoked",
            AssessmentStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        AssessmentStatus::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Completes "an assessment that is …" in English messages.
    fn describe(self) -> &'static str {
        match self {
            AssessmentStatus::Registered => "registered",
            AssessmentStatus::Draft => "in draft",
            AssessmentStatus::Submitted => "submitted",
            AssessmentStatus::UnderReview => "under review",
            AssessmentStatus::ReviewPassed => "passed at review",
            AssessmentStatus::ReviewFailed => "failed at review",
            AssessmentStatus::Recognised => "recognised",
            AssessmentStatus::NotRecognised => "not recognised",
            AssessmentStatus::Revoked => "revoked",
            AssessmentStatus::Withdrawn => "withdrawn",
        }
    }

    /// The status as shown: a recognition whose validity has ended is `Expired`. `expires_on` is
    /// the last day the recognition is valid; it is expired from the day after.
    pub fn effective(self, expires_on: Option<NaiveDate>, today: NaiveDate) -> EffectiveStatus {
        match (self, expires_on) {
            (AssessmentStatus::Recognised, Some(last_day)) if today > last_day => {
                EffectiveStatus::Expired
            }
            _ => EffectiveStatus::from(self),
        }
    }

    fn transition(
        self,
        action: Action,
        to: AssessmentStatus,
        allowed_from: &[AssessmentStatus],
    ) -> Result<AssessmentStatus, TransitionError> {
        if allowed_from.contains(&self) {
            Ok(to)
        } else {
            Err(TransitionError {
                from: self,
                action: action.as_str(),
            })
        }
    }

    /// Registered → Draft: the person starts the self-assessment.
    pub fn start_self_assessment(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::StartSelfAssessment, Draft, &[Registered])
    }

    /// Draft → Submitted. The caller checks that every indicator is scored.
    pub fn submit(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Submit, Submitted, &[Draft])
    }

    /// Submitted → UnderReview.
    pub fn start_review(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::StartReview, UnderReview, &[Submitted])
    }

    /// Submitted | UnderReview → Draft. The caller checks that a note says why.
    pub fn return_to_draft(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Return, Draft, &[Submitted, UnderReview])
    }

    /// UnderReview | Submitted → ReviewPassed. Reviewing straight from Submitted is allowed:
    /// officers often do it in one step.
    pub fn pass_review(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Pass, ReviewPassed, &[Submitted, UnderReview])
    }

    /// UnderReview | Submitted → ReviewFailed.
    pub fn fail_review(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Fail, ReviewFailed, &[Submitted, UnderReview])
    }

    /// ReviewPassed → Recognised, by a recognition decision.
    pub fn recognise(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Recognise, Recognised, &[ReviewPassed])
    }

    /// ReviewPassed → NotRecognised.
    pub fn not_recognise(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::NotRecognise, NotRecognised, &[ReviewPassed])
    }

    /// Recognised → Revoked. The caller checks that a reason is given. An expired recognition is
    /// still `Recognised` in storage and can be revoked.
    pub fn revoke(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Revoke, Revoked, &[Recognised])
    }

    /// Registered | Draft → Withdrawn.
    pub fn withdraw(self) -> Result<AssessmentStatus, TransitionError> {
        use AssessmentStatus::*;
        self.transition(Action::Withdraw, Withdrawn, &[Registered, Draft])
    }

    /// Applies `action`: the same as calling its method.
    pub fn apply(self, action: Action) -> Result<AssessmentStatus, TransitionError> {
        match action {
            Action::StartSelfAssessment => self.start_self_assessment(),
            Action::Submit => self.submit(),
            Action::StartReview => self.start_review(),
            Action::Return => self.return_to_draft(),
            Action::Pass => self.pass_review(),
            Action::Fail => self.fail_review(),
            Action::Recognise => self.recognise(),
            Action::NotRecognise => self.not_recognise(),
            Action::Revoke => self.revoke(),
            Action::Withdraw => self.withdraw(),
        }
    }

    /// The actions this status allows, in [`Action::ALL`] order. Empty for final statuses.
    /// Whether the acting officer may take them is a policy question, not answered here.
    pub fn allowed_actions(self) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|&a| self.apply(a).is_ok())
            .collect()
    }

    /// Whether no action leads anywhere from here.
    pub fn is_final(self) -> bool {
        self.allowed_actions().is_empty()
    }
}

impl fmt::Display for AssessmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step of the workflow, as clients name it (`POST /assessments/{id}/actions/{action}` or alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    StartSelfAssessment,
    Submit,
    StartReview,
    /// Back to draft, with a note.
    Return,
    Pass,
    Fail,
    Recognise,
    NotRecognise,
    /// With a reason.
    Revoke,
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::StartSelfAssessment,
        Action::Submit,
        Action::StartReview,
        Action::Return,
        Action::Pass,
        Action::Fail,
        Action::Recognise,
        Action::NotRecognise,
        Action::Revoke,
        Action::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::StartSelfAssessment => "start_self_assessment",
            Action::Submit => "submit",
            Action::StartReview => "start_review",
            Action::Return => "return",
            Action::Pass => "pass",
            Action::Fail => "fail",
            Action::Recognise => "recognise",
            Action::NotRecognise => "not_recognise",
            Action::Revoke => "revoke",
            Action::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Completes "cannot … an assessment" in English messages.
    fn verb(self) -> &'static str {
        match self {
            Action::StartSelfAssessment => "start the self-assessment of",
            Action::Submit => "submit",
            Action::StartReview => "start reviewing",
            Action::Return => "return to draft",
            Action::Pass => "pass",
            Action::Fail => "fail",
            Action::Recognise => "recognise",
            Action::NotRecognise => "refuse recognition of",
            Action::Revoke => "revoke",
            Action::Withdraw => "withdraw",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action the current status does not allow (a 409 for the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionError {
    pub from: AssessmentStatus,
    /// [`Action::as_str`] of the refused action.
    pub action: &'static str,
}

impl TransitionError {
    /// Stable snake_case code; clients branch on this.
    pub fn code(&self) -> &'static str {
        "invalid_transition"
    }
}

impl fmt::Display for TransitionError {
    /// "cannot submit an assessment that is under review".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = Action::parse(self.action).map_or(self.action, Action::verb);
        write!(
            f,
            "cannot {verb} an assessment that is {}",
            self.from.describe()
        )
    }
}

impl std::error::Error for TransitionError {}

/// The status as shown to people: the stored status, or `Expired` for a recognition whose
/// validity has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EffectiveStatus {
    Registered,
    Draft,
    Submitted,
    UnderReview,
    ReviewPassed,
    ReviewFailed,
    Recognised,
    NotRecognised,
    Revoked,
    Withdrawn,
    /// Recognised, but past the last day of validity.
    Expired,
}

impl EffectiveStatus {
    pub const ALL: [EffectiveStatus; 11] = [
        EffectiveStatus::Registered,
        EffectiveStatus::Draft,
        EffectiveStatus::Submitted,
        EffectiveStatus::UnderReview,
        EffectiveStatus::ReviewPassed,
        EffectiveStatus::ReviewFailed,
        EffectiveStatus::Recognised,
        EffectiveStatus::NotRecognised,
        EffectiveStatus::Revoked,
        EffectiveStatus::Withdrawn,
        EffectiveStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EffectiveStatus::Registered => "registered",
            EffectiveStatus::Draft => "draft",
            EffectiveStatus::Submitted => "submitted",
            EffectiveStatus::UnderReview => "under_review",
            EffectiveStatus::ReviewPassed => "review_passed",
            EffectiveStatus::ReviewFailed => "review_failed",
            EffectiveStatus::Recognised => "recognised",
            EffectiveStatus::NotRecognised => "not_recognised",
            EffectiveStatus::Revoked => "revoked",
            EffectiveStatus::Withdrawn => "withdrawn",
            EffectiveStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        EffectiveStatus::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether a certificate check should answer "valid".
    pub fn is_valid_recognition(self) -> bool {
        self == EffectiveStatus::Recognised
    }
}

impl From<AssessmentStatus> for EffectiveStatus {
    fn from(status: AssessmentStatus) -> Self {
        match status {
            AssessmentStatus::Registered => EffectiveStatus::Registered,
            AssessmentStatus::Draft => EffectiveStatus::Draft,
            AssessmentStatus::Submitted => EffectiveStatus::Submitted,
            AssessmentStatus::UnderReview => EffectiveStatus::UnderReview,
            AssessmentStatus::ReviewPassed => EffectiveStatus::ReviewPassed,
            AssessmentStatus::ReviewFailed => EffectiveStatus::ReviewFailed,
            AssessmentStatus::Recognised => EffectiveStatus::Recognised,
            AssessmentStatus::NotRecognised => EffectiveStatus::NotRecognised,
            AssessmentStatus::Revoked => EffectiveStatus::Revoked,
            AssessmentStatus::Withdrawn => EffectiveStatus::Withdrawn,
        }
    }
}

impl fmt::Display for EffectiveStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessmentStatus::*;

    /// Every allowed (status, action) → next status. Every pair not listed must be refused.
    const ALLOWED: [(AssessmentStatus, Action, AssessmentStatus); 14] = [
        (Registered, Action::StartSelfAssessment, Draft),
        (Registered, Action::Withdraw, Withdrawn),
        (Draft, Action::Submit, Submitted),
        (Draft, Action::Withdraw, Withdrawn),
        (Submitted, Action::StartReview, UnderReview),
        (Submitted, Action::Return, Draft),
        (Submitted, Action::Pass, ReviewPassed),
        (Submitted, Action::Fail, ReviewFailed),
        (UnderReview, Action::Return, Draft),
        (UnderReview, Action::Pass, ReviewPassed),
        (UnderReview, Action::Fail, ReviewFailed),
        (ReviewPassed, Action::Recognise, Recognised),
        (ReviewPassed, Action::NotRecognise, NotRecognised),
        (Recognised, Action::Revoke, Revoked),
    ];

    #[test]
    fn every_status_and_action_pair_follows_the_table() {
        let mut pairs = 0;
        for status in AssessmentStatus::ALL {
            for action in Action::ALL {
                pairs += 1;
                let expected = ALLOWED
                    .iter()
                    .find(|(from, a, _)| *from == status && *a == action)
                    .map(|&(_, _, to)| to)
                    .ok_or(TransitionError {
                        from: status,
                        action: action.as_str(),
                    });
                assert_eq!(status.apply(action), expected, "{status} + {action}");
            }
        }
        assert_eq!(pairs, 100);
    }

    #[test]
    fn the_named_methods_are_the_actions() {
        type Method = fn(AssessmentStatus) -> Result<AssessmentStatus, TransitionError>;
        let methods: [(Action, Method); 10] = [
            (
                Action::StartSelfAssessment,
                AssessmentStatus::start_self_assessment,
            ),
            (Action::Submit, AssessmentStatus::submit),
            (Action::StartReview, AssessmentStatus::start_review),
            (Action::Return, AssessmentStatus::return_to_draft),
            (Action::Pass, AssessmentStatus::pass_review),
            (Action::Fail, AssessmentStatus::fail_review),
            (Action::Recognise, AssessmentStatus::recognise),
            (Action::NotRecognise, AssessmentStatus::not_recognise),
            (Action::Revoke, AssessmentStatus::revoke),
            (Action::Withdraw, AssessmentStatus::withdraw),
        ];
        for status in AssessmentStatus::ALL {
            for (action, method) in methods {
                assert_eq!(method(status), status.apply(action), "{status} + {action}");
            }
        }
    }

    #[test]
    fn allowed_actions_list_what_the_table_allows() {
        let cases: [(AssessmentStatus, &[Action]); 10] = [
            (Registered, &[Action::StartSelfAssessment, Action::Withdraw]),
            (Draft, &[Action::Submit, Action::Withdraw]),
            (
                Submitted,
                &[
                    Action::StartReview,
                    Action::Return,
                    Action::Pass,
                    Action::Fail,
                ],
            ),
            (UnderReview, &[Action::Return, Action::Pass, Action::Fail]),
            (ReviewPassed, &[Action::Recognise, Action::NotRecognise]),
            (ReviewFailed, &[]),
            (Recognised, &[Action::Revoke]),
            (NotRecognised, &[]),
            (Revoked, &[]),
            (Withdrawn, &[]),
        ];
        for (status, actions) in cases {
            assert_eq!(status.allowed_actions(), actions, "{status}");
            assert_eq!(status.is_final(), actions.is_empty(), "{status}");
        }
    }

    #[test]
    fn refusals_say_what_was_tried_on_what() {
        let cases = [
            (
                UnderReview.submit(),
                "cannot submit an assessment that is under review",
            ),
            (
                Draft.recognise(),
                "cannot recognise an assessment that is in draft",
            ),
            (
                Recognised.withdraw(),
                "cannot withdraw an assessment that is recognised",
            ),
            (
                Registered.return_to_draft(),
                "cannot return to draft an assessment that is registered",
            ),
            (
                Submitted.not_recognise(),
                "cannot refuse recognition of an assessment that is submitted",
            ),
            (
                Draft.start_self_assessment(),
                "cannot start the self-assessment of an assessment that is in draft",
            ),
        ];
        for (result, message) in cases {
            let error = result.expect_err(message);
            assert_eq!(error.to_string(), message);
            assert_eq!(error.code(), "invalid_transition");
        }
        let error = Revoked.revoke().expect_err("revoked");
        assert_eq!(
            error,
            TransitionError {
                from: Revoked,
                action: "revoke"
            }
        );
    }

    #[test]
    fn recognitions_expire_after_their_last_day() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        let last_day = Some(date(2027, 12, 31));
        let cases = [
            (
                Recognised,
                None,
                date(2099, 1, 1),
                EffectiveStatus::Recognised,
            ),
            (
                Recognised,
                last_day,
                date(2027, 12, 30),
                EffectiveStatus::Recognised,
            ),
            (
                Recognised,
                last_day,
                date(2027, 12, 31),
                EffectiveStatus::Recognised,
            ),
            (
                Recognised,
                last_day,
                date(2028, 1, 1),
                EffectiveStatus::Expired,
            ),
            (
                Revoked,
                last_day,
                date(2028, 1, 1),
                EffectiveStatus::Revoked,
            ),
            (
                ReviewPassed,
                last_day,
                date(2028, 1, 1),
                EffectiveStatus::ReviewPassed,
            ),
            (Draft, None, date(2028, 1, 1), EffectiveStatus::Draft),
        ];
        for (status, expires_on, today, expected) in cases {
            assert_eq!(
                status.effective(expires_on, today),
                expected,
                "{status} {expires_on:?} {today}"
            );
        }
        assert!(EffectiveStatus::Recognised.is_valid_recognition());
        assert!(!EffectiveStatus::Expired.is_valid_recognition());
    }

    #[test]
    fn statuses_and_actions_have_stable_names() {
        for status in AssessmentStatus::ALL {
            assert_eq!(AssessmentStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).expect("serialise");
            assert_eq!(json, format!("\"{status}\""));
            let effective = EffectiveStatus::from(status);
            assert_eq!(effective.as_str(), status.as_str());
        }
        for status in EffectiveStatus::ALL {
            assert_eq!(EffectiveStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).expect("serialise");
            assert_eq!(json, format!("\"{status}\""));
        }
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            let json = serde_json::to_string(&action).expect("serialise");
            assert_eq!(json, format!("\"{action}\""));
        }
        assert_eq!(AssessmentStatus::parse("expired"), None);
        assert_eq!(Action::parse("Submit"), None);
    }
}
