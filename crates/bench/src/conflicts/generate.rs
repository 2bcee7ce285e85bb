//! The labelled data set: customer accounts and registration queries, deterministic for a
//! seed.
//!
//! **Accounts.** Countries by weight (the US a fifth, then Germany, the UK, France, Japan …),
//! a city of the country, and a name of one of five shapes: an invented brand with zero to
//! two generic words ("Varnex Logistik"), surnames ("Müller & Schmidt Bau", "Rossi
//! Costruzioni"), a generic word before a surname ("Elektro Weber"), two English brand
//! words ("Blue Harbor Logistics") or an acronym ("KMT Industrietechnik"), followed by one
//! of the country's legal forms by frequency (or none). 18 % of the accounts are
//! namesakes: the name of an earlier account in another city of its country (two thirds)
//! or in another country, with that country's legal form and a domain of their own.
//! No two accounts share a normalised name in the same city. Domains come from the name
//! (transliterated: "mueller-schmidt.de"), unique, on the country's TLD or .com; 5 % have
//! none, 10 % a second one.
//!
//! **Queries.** Half are true duplicates of a random account under realistic variation
//! (the variations are recorded per query): typing slips (a [`Profile`] sets how many; a
//! slip is a neighbouring key, a dropped, doubled or swapped letter, mostly not the first),
//! legal form kept (25 %), dropped (35 %), spelled otherwise (15 %, "G.m.b.H.", "Limited"),
//! another form of the country (15 %) or of another country (10 %, "Müller Ltd.");
//! abbreviations ("Intl", "Tech", "Svcs") where a word allows, "&" for the local "and" and
//! back, accents dropped or transliterated ("Mueller"), words swapped (8 %), a generic word
//! dropped (8 %) or added (4 %), capitals or lower case (16 %); the city as filed, in its
//! other spelling ("Munich"), without accents, or (3 %) another office's city. Half are not
//! in the accounts: new companies (40 %) and hard negatives — the same name in another city
//! of the country (25 %) or abroad (15 %), a name one letter apart (10 %) or with one
//! generic word replaced (10 %) in the same country, 30 % of those two in the same city —
//! each with a domain of its own. Every query shows its evidence the same way, as the
//! [`Profile`] says: a website, a company e-mail address, both, a free-mail address or
//! nothing; the country; the city.

use std::collections::{HashMap, HashSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tributary_domain::matching::{CandidateAccount, CustomerQuery, fold, normalize_company_name};

use super::world::{
    ABBREVIATIONS, BRAND_WORDS, CODAS, COUNTRIES, FIRST_NAMES, FREE_MAIL, LEGAL_SPELLINGS, ONSETS, ROLE_MAILBOXES,
    VOWELS,
};

pub struct City {
    pub name: &'static str,
    pub other: Option<&'static str>,
}

pub struct Country {
    pub code: &'static str,
    pub tld: &'static str,
    pub com_percent: u32,
    pub cities: Vec<City>,
    pub legal: Vec<(&'static str, u32)>,
    pub legal_total: u32,
    pub surnames: Vec<&'static str>,
    pub generics: Vec<&'static str>,
    pub and: &'static str,
}

pub struct World {
    pub countries: Vec<Country>,
    country_weights: Vec<u32>,
    weight_total: u32,
    brand_words: Vec<&'static str>,
    spellings: HashMap<&'static str, Vec<&'static str>>,
    first_names: Vec<&'static str>,
    roles: Vec<&'static str>,
    free_mail: Vec<&'static str>,
}

fn list(text: &'static str) -> Vec<&'static str> {
    text.split('|').map(str::trim).collect()
}

impl World {
    pub fn new() -> Self {
        let countries: Vec<Country> = COUNTRIES
            .iter()
            .map(|c| {
                let legal: Vec<(&str, u32)> = list(c.legal)
                    .into_iter()
                    .map(|l| {
                        let (form, weight) = l.rsplit_once(':').expect("form:weight");
                        (form, weight.parse().expect("a weight"))
                    })
                    .collect();
                Country {
                    code: c.code,
                    tld: c.tld,
                    com_percent: c.com_percent,
                    cities: list(c.cities)
                        .into_iter()
                        .map(|city| match city.split_once('=') {
                            Some((name, other)) => City {
                                name,
                                other: Some(other),
                            },
                            None => City {
                                name: city,
                                other: None,
                            },
                        })
                        .collect(),
                    legal_total: legal.iter().map(|l| l.1).sum(),
                    legal,
                    surnames: list(c.surnames),
                    generics: list(c.generics),
                    and: c.and,
                }
            })
            .collect();
        World {
            country_weights: COUNTRIES.iter().map(|c| c.weight).collect(),
            weight_total: COUNTRIES.iter().map(|c| c.weight).sum(),
            countries,
            brand_words: list(BRAND_WORDS),
            spellings: LEGAL_SPELLINGS
                .iter()
                .map(|(form, others)| (*form, list(others)))
                .collect(),
            first_names: list(FIRST_NAMES),
            roles: list(ROLE_MAILBOXES),
            free_mail: list(FREE_MAIL),
        }
    }

    fn country(&self, rng: &mut ChaCha8Rng) -> u8 {
        let mut pick = rng.random_range(0..self.weight_total);
        for (i, w) in self.country_weights.iter().enumerate() {
            if pick < *w {
                return i as u8;
            }
            pick -= w;
        }
        unreachable!("weights cover the range")
    }

    fn legal(&self, country: u8, rng: &mut ChaCha8Rng) -> &'static str {
        let c = &self.countries[country as usize];
        let mut pick = rng.random_range(0..c.legal_total);
        for (form, w) in &c.legal {
            if pick < *w {
                return form;
            }
            pick -= w;
        }
        unreachable!("weights cover the range")
    }

    /// A city index, the first cities (the largest) more often.
    fn city(&self, country: u8, rng: &mut ChaCha8Rng) -> u16 {
        let n = self.countries[country as usize].cities.len();
        let a = rng.random_range(0..n);
        let b = rng.random_range(0..n);
        a.min(b) as u16
    }
}

pub struct Account {
    /// The name without its legal form.
    pub core: String,
    /// "" for none.
    pub legal: &'static str,
    pub country: u8,
    pub city: u16,
    pub domains: Vec<String>,
}

impl Account {
    pub fn name(&self) -> String {
        if self.legal.is_empty() {
            self.core.clone()
        } else {
            format!("{} {}", self.core, self.legal)
        }
    }

    pub fn candidate(&self, world: &World) -> CandidateAccount {
        let country = &world.countries[self.country as usize];
        CandidateAccount {
            name: self.name(),
            domains: self.domains.clone(),
            country: country.code.to_string(),
            city: Some(country.cities[self.city as usize].name.to_string()),
        }
    }
}

pub fn account_id(index: u32) -> String {
    format!("A{index:07}")
}

pub fn account_index(id: &str) -> Option<u32> {
    id.strip_prefix('A')?.parse().ok()
}

/// The kinds of queries, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Duplicate,
    NewCompany,
    NamesakeOtherCity,
    NamesakeAbroad,
    OneLetterApart,
    OtherGenericWord,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Duplicate => "true duplicate",
            Kind::NewCompany => "new company",
            Kind::NamesakeOtherCity => "same name, other city",
            Kind::NamesakeAbroad => "same name, other country",
            Kind::OneLetterApart => "name one letter apart",
            Kind::OtherGenericWord => "one generic word replaced",
        }
    }
}

/// Variations applied to a query (bits).
pub const VARIATIONS: &[&str] = &[
    "one typo",
    "two typos",
    "legal form dropped",
    "legal form spelled otherwise",
    "other legal form, same country",
    "legal form of another country",
    "abbreviation",
    "& / and",
    "accents dropped or transliterated",
    "word order",
    "generic word dropped",
    "generic word added",
    "capitals or lower case",
    "no company domain (free mail or none)",
    "no city",
    "no country",
    "other office's city",
    "city in its other spelling",
];

const ONE_TYPO: u32 = 1 << 0;
const TWO_TYPOS: u32 = 1 << 1;
const LEGAL_DROPPED: u32 = 1 << 2;
const LEGAL_RESPELLED: u32 = 1 << 3;
const LEGAL_OTHER: u32 = 1 << 4;
const LEGAL_FOREIGN: u32 = 1 << 5;
const ABBREVIATED: u32 = 1 << 6;
const AMPERSAND: u32 = 1 << 7;
const ACCENTS: u32 = 1 << 8;
const WORD_ORDER: u32 = 1 << 9;
const WORD_DROPPED: u32 = 1 << 10;
const WORD_ADDED: u32 = 1 << 11;
const CASE: u32 = 1 << 12;
const NO_DOMAIN: u32 = 1 << 13;
const NO_CITY: u32 = 1 << 14;
const NO_COUNTRY: u32 = 1 << 15;
const OTHER_CITY: u32 = 1 << 16;
const CITY_SPELLING: u32 = 1 << 17;

pub struct LabelledQuery {
    pub query: CustomerQuery,
    /// The account the customer is, for true duplicates.
    pub truth: Option<u32>,
    pub kind: Kind,
    pub variations: u32,
}

pub struct Data {
    pub world: World,
    pub accounts: Vec<Account>,
    pub queries: Vec<LabelledQuery>,
    /// How many accounts are namesakes of an earlier one.
    pub namesakes: usize,
}

fn invented(rng: &mut ChaCha8Rng) -> String {
    loop {
        let syllables = if rng.random_bool(0.3) { 3 } else { 2 };
        let mut word = String::new();
        for _ in 0..syllables {
            word.push_str(ONSETS[rng.random_range(0..ONSETS.len())]);
            word.push_str(VOWELS[rng.random_range(0..VOWELS.len())]);
        }
        word.push_str(CODAS[rng.random_range(0..CODAS.len())]);
        if word.len() >= 4 {
            return capitalized(&word);
        }
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pick<'a>(items: &[&'a str], rng: &mut ChaCha8Rng) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn english_generic(rng: &mut ChaCha8Rng, world: &World) -> &'static str {
    pick(&world.countries[0].generics, rng)
}

/// A fresh company name (without legal form) for `country`.
fn fresh_core(world: &World, country: u8, rng: &mut ChaCha8Rng) -> String {
    let c = &world.countries[country as usize];
    let generic = |rng: &mut ChaCha8Rng| {
        if rng.random_bool(0.75) {
            pick(&c.generics, rng)
        } else {
            english_generic(rng, world)
        }
    };
    let roll = rng.random_range(0..100);
    let mut words: Vec<String> = Vec::new();
    match roll {
        0..35 => {
            words.push(invented(rng));
            if rng.random_bool(0.7) {
                words.push(generic(rng).to_string());
                if rng.random_bool(0.2) {
                    words.push(generic(rng).to_string());
                }
            }
        }
        35..60 => {
            words.push(pick(&c.surnames, rng).to_string());
            if rng.random_bool(0.35) {
                words.push(if rng.random_bool(0.6) { "&" } else { c.and }.to_string());
                words.push(pick(&c.surnames, rng).to_string());
                if rng.random_bool(0.5) {
                    words.push(generic(rng).to_string());
                }
            } else {
                words.push(generic(rng).to_string());
                if rng.random_bool(0.15) {
                    words.push(generic(rng).to_string());
                }
            }
        }
        60..68 => {
            words.push(generic(rng).to_string());
            words.push(pick(&c.surnames, rng).to_string());
        }
        68..88 => {
            words.push(pick(&world.brand_words, rng).to_string());
            if rng.random_bool(0.6) {
                words.push(pick(&world.brand_words, rng).to_string());
            }
            words.push(generic(rng).to_string());
        }
        _ => {
            let letters = rng.random_range(2..5);
            words.push((0..letters).map(|_| rng.random_range(b'A'..=b'Z') as char).collect());
            words.push(generic(rng).to_string());
            if rng.random_bool(0.3) {
                words.push(generic(rng).to_string());
            }
        }
    }
    words.dedup();
    words.join(" ")
}

/// Lower-case ASCII for domain labels: German, Nordic and a few other letters spelled out,
/// other accents dropped.
fn ascii_label(text: &str) -> String {
    let mut spelled = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' | 'Ä' => spelled.push_str("ae"),
            'ö' | 'Ö' => spelled.push_str("oe"),
            'ü' | 'Ü' => spelled.push_str("ue"),
            'å' | 'Å' => spelled.push_str("aa"),
            _ => spelled.push(c),
        }
    }
    fold(&spelled)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect()
}

fn domain_for(
    world: &World,
    core: &str,
    country: u8,
    city: u16,
    taken: &HashSet<String>,
    rng: &mut ChaCha8Rng,
) -> String {
    let c = &world.countries[country as usize];
    let and = c.and;
    let words: Vec<String> = core
        .split(' ')
        .filter(|w| *w != "&" && *w != and && *w != "and")
        .map(ascii_label)
        .filter(|w| !w.is_empty())
        .collect();
    let label = match rng.random_range(0..10) {
        0..3 => words[0].clone(),
        3..7 => words.join(""),
        _ => words.join("-"),
    };
    let label: String = label.chars().take(40).collect();
    let tld = if rng.random_range(0..100) < c.com_percent {
        "com"
    } else {
        c.tld
    };
    let plain = format!("{label}.{tld}");
    if !taken.contains(&plain) {
        return plain;
    }
    let city_label = ascii_label(c.cities[city as usize].name).replace(' ', "");
    let with_city = format!("{label}-{city_label}.{tld}");
    if !taken.contains(&with_city) {
        return with_city;
    }
    loop {
        let numbered = format!("{label}{}.{tld}", rng.random_range(2..10_000));
        if !taken.contains(&numbered) {
            return numbered;
        }
    }
}

/// Normalised names per country and the cities they occur in.
type NameCities = HashMap<(String, u8), Vec<u16>>;

/// Names compared without regard to word order: two companies called "Larsson Handel" and
/// "Handel Larsson" in one city would be one company.
fn key(core: &str) -> String {
    let mut tokens = normalize_company_name(core).tokens;
    tokens.sort_unstable();
    tokens.join(" ")
}

/// How often partners mistype or leave evidence out, in per cent of the queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub one_typo: u32,
    pub two_typos: u32,
    /// Company domain evidence: a website only, an e-mail address at the company only, both;
    /// otherwise a free-mail address, or (the rest) nothing.
    pub website: u32,
    pub email: u32,
    pub both: u32,
    pub free_mail: u32,
    pub city: u32,
    pub country: u32,
}

impl Profile {
    /// A registration form that asks for the customer's domain, country and city (as the
    /// product's does), filled in by partners who mostly know their customer.
    pub const FORM: Profile = Profile {
        one_typo: 20,
        two_typos: 3,
        website: 50,
        email: 22,
        both: 16,
        free_mail: 8,
        city: 90,
        country: 98,
    };

    /// More typing slips and a fifth of the queries without a company domain or a city.
    pub const HARSH: Profile = Profile {
        one_typo: 30,
        two_typos: 8,
        website: 45,
        email: 25,
        both: 10,
        free_mail: 10,
        city: 80,
        country: 97,
    };

    pub fn describe(&self) -> String {
        format!(
            "typing slips {}% one, {}% two; company domain by website {}%, e-mail {}%, both {}%, \
             free mail only {}%, nothing {}%; city {}%, country {}%",
            self.one_typo,
            self.two_typos,
            self.website,
            self.email,
            self.both,
            self.free_mail,
            100 - self.website - self.email - self.both - self.free_mail,
            self.city,
            self.country
        )
    }
}

pub fn generate(seed: u64, accounts: u32, queries: u32, profile: Profile, progress: impl Fn(&str)) -> Data {
    let world = World::new();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut list: Vec<Account> = Vec::with_capacity(accounts as usize);
    let mut names: NameCities = HashMap::with_capacity(accounts as usize);
    let mut domains: HashSet<String> = HashSet::with_capacity(accounts as usize * 11 / 10);
    let mut namesakes = 0;
    progress("accounts");
    while list.len() < accounts as usize {
        let namesake = list.len() > 1000 && rng.random_bool(0.18);
        let (core, country, city) = if namesake {
            let source = &list[rng.random_range(0..list.len())];
            let country = if rng.random_bool(0.65) {
                source.country
            } else {
                world.country(&mut rng)
            };
            (source.core.clone(), country, world.city(country, &mut rng))
        } else {
            let country = world.country(&mut rng);
            (
                fresh_core(&world, country, &mut rng),
                country,
                world.city(country, &mut rng),
            )
        };
        let name_key = key(&core);
        let cities = names.entry((name_key, country)).or_default();
        if cities.contains(&city) {
            continue;
        }
        cities.push(city);
        namesakes += usize::from(namesake);
        let mut account_domains = Vec::new();
        if rng.random_range(0..100) >= 5 {
            let first = domain_for(&world, &core, country, city, &domains, &mut rng);
            domains.insert(first.clone());
            account_domains.push(first);
            if rng.random_range(0..100) < 10 {
                let second = domain_for(&world, &core, country, city, &domains, &mut rng);
                domains.insert(second.clone());
                account_domains.push(second);
            }
        }
        list.push(Account {
            core,
            legal: world.legal(country, &mut rng),
            country,
            city,
            domains: account_domains,
        });
    }

    progress("queries");
    let mut generator = QueryGenerator {
        profile,
        world: &world,
        accounts: &list,
        names: &names,
        domains: &domains,
        rng,
    };
    let labelled = (0..queries).map(|_| generator.query()).collect();
    Data {
        queries: labelled,
        accounts: list,
        namesakes,
        world,
    }
}

struct QueryGenerator<'a> {
    profile: Profile,
    world: &'a World,
    accounts: &'a [Account],
    names: &'a NameCities,
    domains: &'a HashSet<String>,
    rng: ChaCha8Rng,
}

/// A query's name before it is written: words, legal form, and what was done to them.
struct Draft {
    words: Vec<String>,
    legal: String,
    comma: bool,
    variations: u32,
}

const KEYBOARD: [&str; 26] = [
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn", "jiolm", "kop", "njk",
    "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb", "qase", "zsdc", "tghu", "asx",
];

fn typo(word: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 {
        return word.to_string();
    }
    let at = if rng.random_bool(0.8) {
        rng.random_range(1..chars.len())
    } else {
        rng.random_range(0..chars.len())
    };
    match rng.random_range(0..4) {
        0 => {
            let lower = chars[at].to_ascii_lowercase();
            let replacement = if lower.is_ascii_lowercase() {
                let near = KEYBOARD[(lower as u8 - b'a') as usize].as_bytes();
                near[rng.random_range(0..near.len())] as char
            } else {
                'e'
            };
            chars[at] = if chars[at].is_uppercase() {
                replacement.to_ascii_uppercase()
            } else {
                replacement
            };
        }
        1 => {
            chars.remove(at);
        }
        2 => {
            let c = chars[at];
            chars.insert(at, c);
        }
        _ => {
            let at = at.min(chars.len() - 2);
            chars.swap(at, at + 1);
        }
    }
    chars.into_iter().collect()
}

fn strip_accents(word: &str, transliterate: bool) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let spelled = match c {
            'ä' if transliterate => "ae".to_string(),
            'ö' if transliterate => "oe".to_string(),
            'ü' if transliterate => "ue".to_string(),
            'Ä' if transliterate => "Ae".to_string(),
            'Ö' if transliterate => "Oe".to_string(),
            'Ü' if transliterate => "Ue".to_string(),
            _ => {
                let folded = fold(&c.to_string());
                if c.is_uppercase() {
                    folded.to_uppercase()
                } else {
                    folded
                }
            }
        };
        out.push_str(&spelled);
    }
    out
}

impl QueryGenerator<'_> {
    fn query(&mut self) -> LabelledQuery {
        if self.rng.random_bool(0.5) {
            return self.duplicate();
        }
        loop {
            let roll = self.rng.random_range(0..100);
            let made = match roll {
                0..40 => self.new_company(),
                40..65 => self.namesake_other_city(),
                65..80 => self.namesake_abroad(),
                80..90 => self.one_letter_apart(),
                _ => self.other_generic_word(),
            };
            if let Some(query) = made {
                return query;
            }
        }
    }

    fn random_account(&mut self) -> u32 {
        self.rng.random_range(0..self.accounts.len() as u32)
    }

    fn exists(&self, core: &str, country: u8, city: Option<u16>) -> bool {
        match self.names.get(&(key(core), country)) {
            None => false,
            Some(cities) => city.is_none_or(|c| cities.contains(&c)),
        }
    }

    fn fresh_domain(&mut self, core: &str, country: u8, city: u16) -> String {
        domain_for(self.world, core, country, city, self.domains, &mut self.rng)
    }

    fn duplicate(&mut self) -> LabelledQuery {
        let index = self.random_account();
        let accounts = self.accounts;
        let account = &accounts[index as usize];
        let (country, core, legal) = (account.country, account.core.clone(), account.legal);
        let mut city = account.city;
        let mut variations = 0;
        if self.world.countries[country as usize].cities.len() > 1 && self.rng.random_range(0..100) < 3 {
            while city == account.city {
                city = self.world.city(country, &mut self.rng);
            }
            variations |= OTHER_CITY;
        }
        let domains = account.domains.clone();
        let mut draft = self.vary_name(&core, legal, country);
        draft.variations |= variations;
        let query = self.present(draft, &domains, country, city);
        LabelledQuery {
            truth: Some(index),
            kind: Kind::Duplicate,
            variations: query.1,
            query: query.0,
        }
    }

    fn new_company(&mut self) -> Option<LabelledQuery> {
        let country = self.world.country(&mut self.rng);
        let core = fresh_core(self.world, country, &mut self.rng);
        if self.exists(&core, country, None) {
            return None;
        }
        let city = self.world.city(country, &mut self.rng);
        let legal = self.world.legal(country, &mut self.rng);
        Some(self.negative(Kind::NewCompany, &core, legal, country, city))
    }

    fn namesake_other_city(&mut self) -> Option<LabelledQuery> {
        let accounts = self.accounts;
        let source = &accounts[self.random_account() as usize];
        let country = source.country;
        if self.world.countries[country as usize].cities.len() < 2 {
            return None;
        }
        let city = self.world.city(country, &mut self.rng);
        let core = source.core.clone();
        if self.exists(&core, country, Some(city)) {
            return None;
        }
        let legal = self.world.legal(country, &mut self.rng);
        Some(self.negative(Kind::NamesakeOtherCity, &core, legal, country, city))
    }

    fn namesake_abroad(&mut self) -> Option<LabelledQuery> {
        let accounts = self.accounts;
        let source = &accounts[self.random_account() as usize];
        let country = self.world.country(&mut self.rng);
        if country == source.country {
            return None;
        }
        let city = self.world.city(country, &mut self.rng);
        let core = source.core.clone();
        if self.exists(&core, country, Some(city)) {
            return None;
        }
        let legal = self.world.legal(country, &mut self.rng);
        Some(self.negative(Kind::NamesakeAbroad, &core, legal, country, city))
    }

    fn nearby_city(&mut self, source: &Account) -> u16 {
        if self.rng.random_range(0..100) < 30 {
            source.city
        } else {
            self.world.city(source.country, &mut self.rng)
        }
    }

    fn one_letter_apart(&mut self) -> Option<LabelledQuery> {
        let accounts = self.accounts;
        let source = &accounts[self.random_account() as usize];
        let mut words: Vec<String> = source.core.split(' ').map(str::to_string).collect();
        let world = self.world;
        let generics = &world.countries[source.country as usize].generics;
        let (at, _) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.chars().count() >= 5 && !generics.contains(&w.as_str()))
            .max_by_key(|(_, w)| w.len())?;
        let mut chars: Vec<char> = words[at].chars().collect();
        let position = self.rng.random_range(1..chars.len());
        let vowels = ['a', 'e', 'i', 'o', 'u'];
        chars[position] = if vowels.contains(&chars[position]) {
            vowels[self.rng.random_range(0..vowels.len())]
        } else {
            (b'a' + self.rng.random_range(0..26u8)) as char
        };
        words[at] = chars.into_iter().collect();
        let core = words.join(" ");
        if core == source.core || self.exists(&core, source.country, None) {
            return None;
        }
        let city = self.nearby_city(source);
        let legal = self.world.legal(source.country, &mut self.rng);
        Some(self.negative(Kind::OneLetterApart, &core, legal, source.country, city))
    }

    fn other_generic_word(&mut self) -> Option<LabelledQuery> {
        let accounts = self.accounts;
        let source = &accounts[self.random_account() as usize];
        let world = self.world;
        let generics = &world.countries[source.country as usize].generics;
        let mut words: Vec<String> = source.core.split(' ').map(str::to_string).collect();
        if words.len() < 2 {
            return None;
        }
        let at = words.iter().position(|w| generics.contains(&w.as_str()))?;
        words[at] = pick(generics, &mut self.rng).to_string();
        let core = words.join(" ");
        if core == source.core || self.exists(&core, source.country, None) {
            return None;
        }
        let city = self.nearby_city(source);
        let legal = self.world.legal(source.country, &mut self.rng);
        Some(self.negative(Kind::OtherGenericWord, &core, legal, source.country, city))
    }

    fn negative(&mut self, kind: Kind, core: &str, legal: &'static str, country: u8, city: u16) -> LabelledQuery {
        let domain = self.fresh_domain(core, country, city);
        let draft = self.write_name(core, legal, country, 0);
        let (query, variations) = self.present(draft, &[domain], country, city);
        LabelledQuery {
            query,
            truth: None,
            kind,
            variations,
        }
    }

    /// A true duplicate's name as a partner might type it.
    fn vary_name(&mut self, core: &str, legal: &'static str, country: u8) -> Draft {
        let rng = &mut self.rng;
        let mut variations = 0;
        let mut words: Vec<String> = core.split(' ').map(str::to_string).collect();
        let c = &self.world.countries[country as usize];
        if words.iter().any(|w| !w.is_ascii()) && rng.random_range(0..100) < 35 {
            let transliterate = rng.random_bool(0.5);
            words = words.iter().map(|w| strip_accents(w, transliterate)).collect();
            variations |= ACCENTS;
        }
        for word in &mut words {
            for (long, short) in ABBREVIATIONS {
                if word == long && rng.random_bool(0.5) {
                    *word = short.to_string();
                    variations |= ABBREVIATED;
                    break;
                } else if word == short && rng.random_bool(0.5) {
                    *word = long.to_string();
                    variations |= ABBREVIATED;
                    break;
                }
            }
        }
        for word in &mut words {
            if word == "&" && rng.random_range(0..100) < 30 {
                *word = if rng.random_bool(0.5) { c.and } else { "and" }.to_string();
                variations |= AMPERSAND;
            } else if (word == c.and || word == "and") && rng.random_range(0..100) < 30 {
                *word = "&".to_string();
                variations |= AMPERSAND;
            }
        }
        if rng.random_range(0..100) < 8 && words.len() >= 2 {
            match words.iter().position(|w| w == "&" || w == c.and || w == "and") {
                Some(at) if at >= 1 && at + 1 < words.len() => words.swap(at - 1, at + 1),
                _ => words.swap(0, 1),
            }
            variations |= WORD_ORDER;
        }
        let generics = &c.generics;
        let roll = rng.random_range(0..100);
        if roll < 8 && words.len() >= 2 && generics.contains(&words[words.len() - 1].as_str()) {
            words.pop();
            variations |= WORD_DROPPED;
        } else if (8..12).contains(&roll) {
            words.push(if rng.random_bool(0.5) { "Group" } else { "Holding" }.to_string());
            variations |= WORD_ADDED;
        }
        let roll = rng.random_range(0..100);
        let typos = if roll < self.profile.two_typos {
            2
        } else if roll < self.profile.two_typos + self.profile.one_typo {
            1
        } else {
            0
        };
        let mut changed: Vec<usize> = Vec::new();
        for _ in 0..typos {
            let long: Vec<usize> = (0..words.len())
                .filter(|i| !changed.contains(i) && words[*i].chars().filter(|c| c.is_alphabetic()).count() >= 4)
                .collect();
            let any: Vec<usize> = (0..words.len())
                .filter(|i| !changed.contains(i) && words[*i].chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .collect();
            let options = if !long.is_empty() && rng.random_range(0..100) < 85 {
                long
            } else {
                any
            };
            if options.is_empty() {
                break;
            }
            let at = options[rng.random_range(0..options.len())];
            words[at] = typo(&words[at], rng);
            changed.push(at);
        }
        variations |= match changed.len() {
            0 => 0,
            1 => ONE_TYPO,
            _ => TWO_TYPOS,
        };
        self.write_name(&words.join(" "), legal, country, variations)
    }

    /// The legal form as written with the name: kept, dropped, respelled or replaced.
    fn write_name(&mut self, core: &str, legal: &'static str, country: u8, mut variations: u32) -> Draft {
        let roll = self.rng.random_range(0..100);
        let written = if legal.is_empty() {
            String::new()
        } else if roll < 25 {
            legal.to_string()
        } else if roll < 60 {
            variations |= LEGAL_DROPPED;
            String::new()
        } else if roll < 75 {
            match self.world.spellings.get(legal) {
                Some(others) => {
                    variations |= LEGAL_RESPELLED;
                    pick(others, &mut self.rng).to_string()
                }
                None => legal.to_string(),
            }
        } else if roll < 90 {
            let other = self.world.legal(country, &mut self.rng);
            if other != legal && !other.is_empty() {
                variations |= LEGAL_OTHER;
            }
            other.to_string()
        } else {
            let abroad = self.world.country(&mut self.rng);
            let other = self.world.legal(abroad, &mut self.rng);
            if abroad != country && !other.is_empty() {
                variations |= LEGAL_FOREIGN;
            }
            other.to_string()
        };
        Draft {
            words: core.split(' ').map(str::to_string).collect(),
            legal: written,
            comma: self.rng.random_range(0..100) < 10,
            variations,
        }
    }

    /// The query as a form would carry it: name (with case noise), domain evidence, country
    /// and city.
    fn present(&mut self, draft: Draft, domains: &[String], country: u8, city: u16) -> (CustomerQuery, u32) {
        let rng = &mut self.rng;
        let mut variations = draft.variations;
        let mut name = draft.words.join(" ");
        if !draft.legal.is_empty() {
            name = format!("{name}{} {}", if draft.comma { "," } else { "" }, draft.legal);
        }
        match rng.random_range(0..100) {
            0..8 => {
                name = name.to_uppercase();
                variations |= CASE;
            }
            8..16 => {
                name = name.to_lowercase();
                variations |= CASE;
            }
            _ => {}
        }
        let c = &self.world.countries[country as usize];
        let domain = (!domains.is_empty()).then(|| domains[rng.random_range(0..domains.len())].clone());
        let person = |rng: &mut ChaCha8Rng, world: &World| {
            if rng.random_range(0..100) < 70 {
                format!("{}.{}", pick(&world.first_names, rng), pick(&world.first_names, rng))
            } else {
                pick(&world.roles, rng).to_string()
            }
        };
        let (mut website, mut email) = (None, None);
        let roll = rng.random_range(0..100);
        let p = self.profile;
        match (&domain, roll) {
            (Some(d), r) if r < p.website => website = Some(website_of(d, rng)),
            (Some(d), r) if r < p.website + p.email => email = Some(format!("{}@{d}", person(rng, self.world))),
            (Some(d), r) if r < p.website + p.email + p.both => {
                website = Some(website_of(d, rng));
                email = Some(format!("{}@{d}", person(rng, self.world)));
            }
            (_, r) if r < p.website + p.email + p.both + p.free_mail => {
                email = Some(format!(
                    "{}@{}",
                    person(rng, self.world),
                    pick(&self.world.free_mail, rng)
                ));
                variations |= NO_DOMAIN;
            }
            _ => variations |= NO_DOMAIN,
        }
        let country_code = if rng.random_range(0..100) < p.country {
            Some(if rng.random_range(0..100) < 10 {
                c.code.to_lowercase()
            } else {
                c.code.to_string()
            })
        } else {
            variations |= NO_COUNTRY;
            None
        };
        let city_name = if rng.random_range(0..100) < p.city {
            let city = &c.cities[city as usize];
            let roll = rng.random_range(0..100);
            Some(match (city.other, roll) {
                (Some(other), 0..25) => {
                    variations |= CITY_SPELLING;
                    other.to_string()
                }
                (_, 25..35) if !city.name.is_ascii() => {
                    variations |= CITY_SPELLING;
                    strip_accents(city.name, false)
                }
                (_, 35..40) => city.name.to_uppercase(),
                _ => city.name.to_string(),
            })
        } else {
            variations |= NO_CITY;
            None
        };
        (
            CustomerQuery {
                name,
                website,
                email,
                country: country_code,
                city: city_name,
            },
            variations,
        )
    }
}

fn website_of(domain: &str, rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..100) {
        0..40 => format!("https://www.{domain}/"),
        40..65 => format!("www.{domain}"),
        65..85 => domain.to_string(),
        85..95 => format!("http://{domain}/contact"),
        _ => format!("https://shop.{domain}"),
    }
}
