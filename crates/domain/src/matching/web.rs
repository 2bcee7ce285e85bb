//! Internet domains as evidence: the registrable part of a website address or an e-mail
//! address ("https://www.shop.acme.co.uk:443/de?x" → "acme.co.uk", "jane@eu.acme.com" →
//! "acme.com"), and whether a domain is a free-mail provider (gmail.com, web.de …), whose
//! addresses say nothing about the company.

use std::sync::LazyLock;

use super::tables::WordSet;

/// Second-level labels that, under a two-letter country code, are part of the public
/// suffix: co.uk, com.au, co.jp, com.br, ac.nz, gob.mx, or.jp …
const GENERIC_SECOND_LEVELS: &[&str] = &[
    "co", "com", "net", "org", "gov", "gob", "gouv", "edu", "ac", "or", "ne", "go", "mil", "ltd", "plc", "nom", "sch",
    "biz", "firm", "nhs",
];

/// Multi-part public suffixes the rule above does not cover.
const MULTI_PART_SUFFIXES: &[&str] = &[
    "com.de",
    "co.com",
    "us.com",
    "uk.com",
    "eu.com",
    "de.com",
    "gb.net",
    "uk.net",
    "in.th",
    "or.th",
    "co.th",
    "kiev.ua",
    "msk.ru",
    "spb.ru",
    "co.ua",
    "pp.ua",
    "qc.ca",
    "on.ca",
    "bc.ca",
    "ab.ca",
    "ns.ca",
    "nsw.gov.au",
    "act.edu.au",
    "blogspot.com",
    "github.io",
    "herokuapp.com",
    "appspot.com",
    "azurewebsites.net",
    "cloudfront.net",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "workers.dev",
    "myshopify.com",
    "wixsite.com",
];

/// Free-mail domains, exactly.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "passport.com",
    "aol.com",
    "aim.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "web.de",
    "t-online.de",
    "freenet.de",
    "arcor.de",
    "posteo.de",
    "mailbox.org",
    "mail.ru",
    "list.ru",
    "bk.ru",
    "inbox.ru",
    "ya.ru",
    "rambler.ru",
    "ukr.net",
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "aliyun.com",
    "foxmail.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "proton.me",
    "pm.me",
    "protonmail.com",
    "protonmail.ch",
    "tutanota.com",
    "tutanota.de",
    "tuta.io",
    "tuta.com",
    "zoho.com",
    "zohomail.com",
    "zohomail.eu",
    "mail.com",
    "email.com",
    "usa.com",
    "post.com",
    "fastmail.com",
    "fastmail.fm",
    "hushmail.com",
    "hey.com",
    "duck.com",
    "inbox.com",
    "lycos.com",
    "excite.com",
    "rocketmail.com",
    "rediffmail.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "neuf.fr",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "alice.it",
    "tin.it",
    "seznam.cz",
    "centrum.cz",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "interia.pl",
    "op.pl",
    "abv.bg",
    "bol.com.br",
    "uol.com.br",
    "terra.com.br",
    "ig.com.br",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "ntlworld.com",
    "talktalk.net",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "shaw.ca",
    "rogers.com",
    "sympatico.ca",
    "bigpond.com",
    "bigpond.net.au",
    "optusnet.com.au",
    "xtra.co.nz",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "softbank.ne.jp",
    "i.softbank.jp",
    "bluewin.ch",
    "telenet.be",
    "skynet.be",
    "ziggo.nl",
    "kpnmail.nl",
    "home.nl",
    "planet.nl",
    "telia.com",
    "online.no",
    "suomi24.fi",
    "walla.com",
    "yopmail.com",
    "mailinator.com",
    "guerrillamail.com",
];

/// Free-mail providers with a domain per country (yahoo.co.uk, hotmail.fr, gmx.at …): the
/// registrable domain's first label.
const FREE_MAIL_FAMILIES: &[&str] = &[
    "yahoo",
    "ymail",
    "hotmail",
    "outlook",
    "live",
    "windowslive",
    "gmx",
    "yandex",
    "aol",
    "protonmail",
    "gmail",
    "googlemail",
];

static FREE_MAIL_SET: LazyLock<WordSet> = LazyLock::new(|| FREE_MAIL.iter().copied().collect());
static MULTI_PART_SET: LazyLock<WordSet> = LazyLock::new(|| MULTI_PART_SUFFIXES.iter().copied().collect());

fn label_ok(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
}

/// The last `count` labels of `host` as a slice of it (all of it when it has no more).
fn last_labels(host: &str, count: usize) -> &str {
    let mut start = host.len();
    for _ in 0..count {
        match host[..start].rfind('.') {
            Some(dot) => start = dot,
            None => return host,
        }
    }
    &host[start + 1..]
}

/// How many labels, from the right, make the public suffix of `host` (`labels` of them).
fn suffix_labels(host: &str, labels: &[&str]) -> usize {
    let n = labels.len();
    if n >= 3 && MULTI_PART_SET.contains(last_labels(host, 3)) {
        return 3;
    }
    if n >= 2 {
        let (second, top) = (labels[n - 2], labels[n - 1]);
        if MULTI_PART_SET.contains(last_labels(host, 2))
            || (top.len() == 2
                && top.chars().all(|c| c.is_ascii_alphabetic())
                && GENERIC_SECOND_LEVELS.contains(&second))
        {
            return 2;
        }
    }
    1
}

/// The registrable domain (the public suffix and one label before it) of a website address
/// ("https://www.acme.com/contact"), a bare host ("shop.acme.co.uk") or an e-mail address
/// ("Jane.Doe@eu.acme.com"); lower case, without scheme, user, "www.", port, path, query or
/// trailing dot. `None` when the text holds no domain name (empty, one label only, an IP
/// address, a bare public suffix like "co.uk", or characters a host cannot have).
pub fn registrable_domain(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let lowered;
    let text = if trimmed.bytes().any(|b| b.is_ascii_uppercase()) || !trimmed.is_ascii() {
        lowered = trimmed.to_lowercase();
        lowered.as_str()
    } else {
        trimmed
    };
    let mut host = text.strip_prefix("mailto:").unwrap_or(text);
    if let Some(at) = host.rfind('@') {
        host = &host[at + 1..];
    } else if let Some(scheme) = host.find("://") {
        host = &host[scheme + 3..];
    }
    let host = host.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("").trim_end_matches('.');
    if host.len() > 253 {
        return None;
    }
    let mut buffer = [""; 8];
    let mut heap = Vec::new();
    let count = host.split('.').count();
    let labels: &mut [&str] = if count <= buffer.len() {
        &mut buffer[..count]
    } else {
        heap.resize(count, "");
        &mut heap
    };
    for (slot, label) in labels.iter_mut().zip(host.split('.')) {
        *slot = label;
    }
    if labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) {
        return None;
    }
    if labels[labels.len() - 1].chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let keep = suffix_labels(host, labels) + 1;
    if labels.len() < keep {
        return None;
    }
    Some(last_labels(host, keep).to_string())
}

/// Whether a registrable domain belongs to a free-mail provider.
fn free_mail_registrable(registrable: &str) -> bool {
    if FREE_MAIL_SET.contains(registrable) {
        return true;
    }
    let first = registrable.split('.').next().unwrap_or("");
    FREE_MAIL_FAMILIES.contains(&first)
}

/// Whether `domain` (a registrable domain, a host or an address) belongs to a free-mail
/// provider.
pub fn is_free_mail(domain: &str) -> bool {
    registrable_domain(domain).is_some_and(|r| free_mail_registrable(&r))
}

/// The registrable domain of `text` and whether it is free mail, parsed once.
pub fn company_or_free_domain(text: &str) -> Option<(String, bool)> {
    let registrable = registrable_domain(text)?;
    let free = free_mail_registrable(&registrable);
    Some((registrable, free))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> Option<String> {
        registrable_domain(text)
    }

    #[test]
    fn urls_hosts_and_addresses() {
        assert_eq!(r("acme.com").as_deref(), Some("acme.com"));
        assert_eq!(r("ACME.COM.").as_deref(), Some("acme.com"));
        assert_eq!(r("www.acme.com").as_deref(), Some("acme.com"));
        assert_eq!(r("https://www.acme.com/contact?x=1#top").as_deref(), Some("acme.com"));
        assert_eq!(r("http://shop.eu.acme.com:8080/").as_deref(), Some("acme.com"));
        assert_eq!(r("https://user:secret@acme.com/").as_deref(), Some("acme.com"));
        assert_eq!(r("Jane.Doe@Sales.ACME.com").as_deref(), Some("acme.com"));
        assert_eq!(r("mailto:jane@acme.de").as_deref(), Some("acme.de"));
        assert_eq!(r("  acme-robotics.io  ").as_deref(), Some("acme-robotics.io"));
        assert_eq!(r("müller-bau.de").as_deref(), Some("müller-bau.de"));
    }

    #[test]
    fn multi_part_public_suffixes() {
        assert_eq!(r("www.acme.co.uk").as_deref(), Some("acme.co.uk"));
        assert_eq!(r("shop.acme.co.uk").as_deref(), Some("acme.co.uk"));
        assert_eq!(r("https://acme.com.au/about").as_deref(), Some("acme.com.au"));
        assert_eq!(r("info@acme.co.jp").as_deref(), Some("acme.co.jp"));
        assert_eq!(r("acme.com.br").as_deref(), Some("acme.com.br"));
        assert_eq!(r("acme.org.uk").as_deref(), Some("acme.org.uk"));
        assert_eq!(r("acme.gob.mx").as_deref(), Some("acme.gob.mx"));
        assert_eq!(r("acme.co.nz").as_deref(), Some("acme.co.nz"));
        assert_eq!(r("acme.co.th").as_deref(), Some("acme.co.th"));
        assert_eq!(r("acme.github.io").as_deref(), Some("acme.github.io"));
        assert_eq!(r("acme.co").as_deref(), Some("acme.co"));
        assert_eq!(r("acme.com").as_deref(), Some("acme.com"));
    }

    #[test]
    fn not_domains() {
        for text in [
            "",
            "acme",
            "localhost",
            "co.uk",
            "http://192.168.1.10/",
            "acme..com",
            "-acme.com",
            "acme .com",
            "jane@",
        ] {
            assert_eq!(r(text), None, "{text}");
        }
    }

    #[test]
    fn free_mail() {
        for domain in [
            "gmail.com",
            "googlemail.com",
            "yahoo.com",
            "yahoo.co.uk",
            "yahoo.fr",
            "outlook.com",
            "hotmail.com",
            "hotmail.de",
            "live.com",
            "msn.com",
            "aol.com",
            "icloud.com",
            "me.com",
            "gmx.de",
            "gmx.net",
            "web.de",
            "mail.ru",
            "yandex.ru",
            "yandex.com",
            "qq.com",
            "163.com",
            "proton.me",
            "protonmail.com",
            "zoho.com",
            "jane.doe@gmail.com",
            "https://mail.yahoo.co.jp",
        ] {
            assert!(is_free_mail(domain), "{domain}");
        }
        for domain in [
            "acme.com",
            "acme.co.uk",
            "yahoo-fans.org",
            "gmail-tools.com",
            "not a domain",
        ] {
            assert!(!is_free_mail(domain), "{domain}");
        }
    }
}
