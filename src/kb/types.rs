//! The shapes of knowledge-base entries. `build.rs` writes values of these
//! types; the variant names are the CamelCase forms of the slugs in `kb/`.

use serde::Serialize;

/// Which family an entry (or a finding) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Kind {
    /// `AADSTS` + number, from the Entra security token service.
    Aadsts,
    /// An OAuth 2.0 / OpenID Connect `error` value.
    Oauth,
    /// An Entra `suberror` value.
    Suberror,
    /// An MSAL.js error code.
    MsalJs,
    /// An MSAL.NET error code or UI-required classification.
    MsalNet,
}

impl Kind {
    /// The slug used in `kb/other/<kind>/` and in JSON.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Aadsts => "aadsts",
            Kind::Oauth => "oauth",
            Kind::Suberror => "suberror",
            Kind::MsalJs => "msal-js",
            Kind::MsalNet => "msal-net",
        }
    }

    /// The inverse of [`Kind::slug`].
    pub fn from_slug(s: &str) -> Option<Kind> {
        [
            Kind::Aadsts,
            Kind::Oauth,
            Kind::Suberror,
            Kind::MsalJs,
            Kind::MsalNet,
        ]
        .into_iter()
        .find(|k| k.slug() == s)
    }
}

/// Where we know a code from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Listed in Microsoft's current AADSTS reference.
    Documented,
    /// Listed only in the older sign-in log error page.
    SignInLog,
    /// Answered by Microsoft's look-up service but in no documentation.
    Lookup,
}

/// Who can act on an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// The person signing in.
    User,
    /// A tenant administrator.
    Admin,
    /// The app's owner or developer.
    Developer,
    /// Microsoft: a service-side or transient problem.
    Microsoft,
}

/// What area an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Mfa,
    ConditionalAccess,
    Credentials,
    AccountState,
    Consent,
    AppRegistration,
    ClientCredentials,
    TokensSessions,
    Federation,
    DeviceCompliance,
    GuestB2b,
    Protocol,
    Service,
}

impl Category {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Category::Mfa => "Multi-factor authentication",
            Category::ConditionalAccess => "Conditional Access",
            Category::Credentials => "Credentials and passwords",
            Category::AccountState => "Account state",
            Category::Consent => "Consent and permissions",
            Category::AppRegistration => "App registration and redirect URIs",
            Category::ClientCredentials => "Client credentials",
            Category::TokensSessions => "Tokens and sessions",
            Category::Federation => "Federation and external identity providers",
            Category::DeviceCompliance => "Device and compliance",
            Category::GuestB2b => "Guests and B2B",
            Category::Protocol => "Protocol or request error",
            Category::Service => "Service or transient problem",
        }
    }
}

/// Whether trying again helps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Retry {
    /// Retrying the same request may well work.
    Yes,
    /// It works again after a wait (lockout, throttling, propagation).
    Later,
    /// It fails the same way until something is changed.
    No,
}

/// Steps grouped by who takes them.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Steps {
    pub user: &'static [&'static str],
    pub admin: &'static [&'static str],
    pub developer: &'static [&'static str],
}

impl Steps {
    /// How many steps there are for all audiences together.
    pub fn len(&self) -> usize {
        self.user.len() + self.admin.len() + self.developer.len()
    }

    /// True when no audience has a step.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A short code sample written for an entry.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Sample {
    pub lang: &'static str,
    pub label: &'static str,
    pub code: &'static str,
}

/// One knowledge-base entry.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Entry {
    pub kind: Kind,
    /// The AADSTS number; 0 for the other families.
    #[serde(skip_serializing_if = "is_zero")]
    pub code: u32,
    /// The number as text for AADSTS entries, the wire string for the others.
    pub id: &'static str,
    /// The symbolic name from Microsoft's reference; empty when it gives none.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub source: Source,
    pub title: &'static str,
    pub summary: &'static str,
    pub who: &'static [Audience],
    pub category: Category,
    pub retry: Retry,
    pub diagnose: &'static [&'static str],
    pub causes: &'static [&'static str],
    pub collect: &'static [&'static str],
    pub developer: &'static [&'static str],
    pub links: &'static [&'static str],
    pub related: &'static [u32],
    pub steps: Steps,
    pub samples: &'static [Sample],
}

impl Entry {
    /// True for the entries with a full guide (causes and steps, not only a summary).
    pub fn is_deep(&self) -> bool {
        !self.causes.is_empty() && !self.steps.is_empty()
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Phrases that identify a well-known message when the text carries no code.
#[derive(Clone, Copy, Debug)]
pub struct SuggestionRule {
    pub code: u32,
    /// Lower-case fragments; any one of them is enough.
    pub phrases: &'static [&'static str],
    pub reason: &'static str,
}
