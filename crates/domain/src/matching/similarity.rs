//! How alike two normalised names are, in per-mille and integer arithmetic only.
//!
//! **Tokens.** Equal tokens agree 1000. Tokens of at least [`TYPO_MIN_CHARS`] characters
//! (not all digits) that are one typing slip apart — one letter replaced, inserted, dropped,
//! or two neighbours swapped (optimal string alignment distance 1) — agree
//! `1000 − 600 / longer length` (850 for four letters, 900 for six, 940 for ten). Anything
//! else agrees 0: "varnex"/"varnix" are close, "robotics"/"logistics" are not.
//!
//! **Compounds.** When two neighbouring words of one name, written together, are a word of
//! the other ("data soft" / "datasoft"), and neither of them is a word of the other name,
//! they are read as that one word.
//!
//! **Names.** Tokens are paired greedily, best pair first (ties by position), each token at
//! most once. With `w` the [`token_weight`]s, the names agree
//! `Σ pairs agreement × (w(q) + w(c)) / (Σ w(query tokens) + Σ w(candidate tokens))` — a
//! weighted Dice coefficient: word order does not matter, a missing or extra generic word
//! ("services") costs little, a missing distinctive word costs a lot. Names made of
//! connecting words only agree 1000 when equal.

use super::name::token_weight;

/// Tokens shorter than this must be equal to agree.
pub const TYPO_MIN_CHARS: usize = 4;

/// Whether the optimal string alignment distance of `a` and `b` is at most 1, in one pass.
fn within_one_edit_of<T: Eq>(a: &[T], b: &[T]) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if b.len() - a.len() > 1 {
        return false;
    }
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return true;
    };
    if a.len() == b.len() {
        a[i + 1..] == b[i + 1..]
            || (i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..])
    } else {
        a[i..] == b[i + 1..]
    }
}

/// Whether `a` and `b` are at most one typing slip apart (see the module documentation).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        within_one_edit_of(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        within_one_edit_of(&a, &b)
    }
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

/// Whether typing slips are tolerated in this token.
pub fn typo_tolerant(token: &str) -> bool {
    char_len(token) >= TYPO_MIN_CHARS && !token.chars().all(|c| c.is_ascii_digit())
}

/// Agreement of two tokens, 0..=1000.
pub fn token_agreement(a: &str, b: &str) -> u16 {
    if a == b {
        return 1000;
    }
    if typo_tolerant(a) && typo_tolerant(b) && within_one_edit(a, b) {
        let longer = char_len(a).max(char_len(b)) as u16;
        return 1000 - 600 / longer;
    }
    0
}

/// One pair of tokens that agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPair {
    pub query: String,
    pub candidate: String,
    pub agreement: u16,
}

/// The agreement of two names and the token pairs it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameComparison {
    pub agreement: u16,
    pub pairs: Vec<TokenPair>,
}

/// `side`'s tokens, with neighbours whose concatenation is a token of `other` (and which are
/// not tokens of `other` themselves) joined; `None` when nothing joins.
fn join_compounds<S: AsRef<str>, O: AsRef<str>>(side: &[S], other: &[O]) -> Option<Vec<String>> {
    let in_other = |x: &str| other.iter().any(|t| t.as_ref() == x);
    let joins = |i: usize| -> bool {
        let (x, y) = (side[i].as_ref(), side[i + 1].as_ref());
        other.iter().any(|t| {
            let t = t.as_ref();
            t.len() == x.len() + y.len() && t.starts_with(x) && t.ends_with(y)
        }) && !in_other(x)
            && !in_other(y)
    };
    if !(0..side.len().saturating_sub(1)).any(joins) {
        return None;
    }
    let mut joined = Vec::with_capacity(side.len());
    let mut i = 0;
    while i < side.len() {
        if i + 1 < side.len() && joins(i) {
            joined.push(format!("{}{}", side[i].as_ref(), side[i + 1].as_ref()));
            i += 2;
        } else {
            joined.push(side[i].as_ref().to_string());
            i += 1;
        }
    }
    Some(joined)
}

/// Compares two token lists as described in the module documentation, with their tokens'
/// weights when known. `pairs` receives the agreeing pairs when given.
fn compare<Q: AsRef<str>, C: AsRef<str>>(
    query: &[Q],
    query_weights: Option<&[u32]>,
    candidate: &[C],
    candidate_weights: Option<&[u32]>,
    pairs: Option<&mut Vec<TokenPair>>,
) -> u16 {
    if query.is_empty() || candidate.is_empty() {
        return 0;
    }
    match join_compounds(query, candidate) {
        Some(query) => match join_compounds(candidate, &query) {
            Some(candidate) => pair_up(&query, None, &candidate, None, pairs),
            None => pair_up(&query, None, candidate, candidate_weights, pairs),
        },
        None => match join_compounds(candidate, query) {
            Some(candidate) => pair_up(query, query_weights, &candidate, None, pairs),
            None => pair_up(query, query_weights, candidate, candidate_weights, pairs),
        },
    }
}

/// Names longer than this (in tokens) are compared with buffers on the heap.
const STACK_TOKENS: usize = 16;

/// The weighted greedy pairing of [`compare`], after compounds are joined.
fn pair_up<Q: AsRef<str>, C: AsRef<str>>(
    query: &[Q],
    known_query_weights: Option<&[u32]>,
    candidate: &[C],
    known_candidate_weights: Option<&[u32]>,
    mut pairs: Option<&mut Vec<TokenPair>>,
) -> u16 {
    let (n, m) = (query.len(), candidate.len());
    let mut stack = [0u32; 2 * STACK_TOKENS];
    let mut heap = Vec::new();
    let weights: &mut [u32] = if n <= STACK_TOKENS && m <= STACK_TOKENS {
        &mut stack[..n + m]
    } else {
        heap.resize(n + m, 0);
        &mut heap
    };
    let (query_weights, candidate_weights) = weights.split_at_mut(n);
    match known_query_weights {
        Some(known) if known.len() == n => query_weights.copy_from_slice(known),
        _ => query_weights
            .iter_mut()
            .zip(query)
            .for_each(|(w, t)| *w = token_weight(t.as_ref())),
    }
    match known_candidate_weights {
        Some(known) if known.len() == m => candidate_weights.copy_from_slice(known),
        _ => candidate_weights
            .iter_mut()
            .zip(candidate)
            .for_each(|(w, t)| *w = token_weight(t.as_ref())),
    }
    let (query_weights, candidate_weights) = (&*query_weights, &*candidate_weights);
    let total: u32 = query_weights.iter().sum::<u32>() + candidate_weights.iter().sum::<u32>();
    let mut scored: Vec<(u16, usize, usize)> = Vec::new();
    for (i, q) in query.iter().enumerate() {
        for (j, c) in candidate.iter().enumerate() {
            let agreement = token_agreement(q.as_ref(), c.as_ref());
            if agreement > 0 {
                scored.push((agreement, i, j));
            }
        }
    }
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_stack = [false; 2 * STACK_TOKENS];
    let mut used_heap = Vec::new();
    let used: &mut [bool] = if n <= STACK_TOKENS && m <= STACK_TOKENS {
        &mut used_stack[..n + m]
    } else {
        used_heap.resize(n + m, false);
        &mut used_heap
    };
    let mut matched: u64 = 0;
    for (agreement, i, j) in scored {
        if used[i] || used[n + j] {
            continue;
        }
        used[i] = true;
        used[n + j] = true;
        matched += u64::from(agreement) * u64::from(query_weights[i] + candidate_weights[j]);
        if let Some(pairs) = pairs.as_deref_mut() {
            pairs.push(TokenPair {
                query: query[i].as_ref().to_string(),
                candidate: candidate[j].as_ref().to_string(),
                agreement,
            });
        }
    }
    if total == 0 {
        let equal = n == m && query.iter().zip(candidate).all(|(q, c)| q.as_ref() == c.as_ref());
        return if equal { 1000 } else { 0 };
    }
    (matched / u64::from(total)).min(1000) as u16
}

/// The agreement of two names' tokens, 0..=1000.
pub fn name_agreement(query: &[String], candidate: &[String]) -> u16 {
    if query == candidate && !query.is_empty() {
        return 1000;
    }
    compare(query, None, candidate, None, None)
}

/// [`name_agreement`] with the tokens' [`token_weight`]s computed already (the same result,
/// faster when one name is compared with many).
pub fn name_agreement_weighted(
    query: &[String],
    query_weights: &[u32],
    candidate: &[String],
    candidate_weights: &[u32],
) -> u16 {
    if query == candidate && !query.is_empty() {
        return 1000;
    }
    compare(query, Some(query_weights), candidate, Some(candidate_weights), None)
}

/// [`name_agreement`] with the token pairs that agree, best first.
pub fn compare_names(query: &[String], candidate: &[String]) -> NameComparison {
    let mut pairs = Vec::new();
    let agreement = compare(query, None, candidate, None, Some(&mut pairs));
    NameComparison { agreement, pairs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        text.split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect()
    }

    fn agree(a: &str, b: &str) -> u16 {
        let result = name_agreement(&tokens(a), &tokens(b));
        assert_eq!(result, name_agreement(&tokens(b), &tokens(a)), "symmetric: {a} / {b}");
        assert_eq!(result, compare_names(&tokens(a), &tokens(b)).agreement);
        result
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("varnex", "varnex"));
        assert!(within_one_edit("varnex", "varnix"));
        assert!(within_one_edit("varnex", "varex"));
        assert!(within_one_edit("varnex", "varnexx"));
        assert!(within_one_edit("varnex", "vranex"));
        assert!(within_one_edit("varnex", "varnxe"));
        assert!(within_one_edit("muller", "mueller"));
        assert!(within_one_edit("müller", "muller"));
        assert!(!within_one_edit("varnex", "vrnxe"));
        assert!(!within_one_edit("varnex", "xarnev"));
        assert!(!within_one_edit("abxcd", "abcyd"));
        assert!(!within_one_edit("robotics", "logistics"));
    }

    #[test]
    fn tokens_agree() {
        assert_eq!(token_agreement("acme", "acme"), 1000);
        assert_eq!(token_agreement("acme", "acne"), 850);
        assert_eq!(token_agreement("varnex", "varnix"), 900);
        assert_eq!(token_agreement("abc", "abd"), 0);
        assert_eq!(token_agreement("2024", "2025"), 0);
        assert_eq!(token_agreement("robotics", "logistics"), 0);
    }

    #[test]
    fn names_agree() {
        assert_eq!(agree("acme robotics", "acme robotics"), 1000);
        assert_eq!(agree("acme robotics", "robotics acme"), 1000);
        assert_eq!(agree("smith and wesson", "smith wesson"), 1000);
        assert_eq!(agree("data soft", "datasoft"), 1000);
        assert_eq!(agree("varnex logistik", "varnex"), 888);
        assert_eq!(agree("acme software", "acme logistics"), 800);
        assert_eq!(agree("acme kolbrin", "acme varnex"), 500);
        assert_eq!(agree("acme", "acme kolbrin varnex"), 500);
        assert_eq!(agree("acme kolbrn", "acme kolbrin"), 957);
        assert_eq!(agree("acne kolbrin", "acme kolbrin"), 925);
        assert_eq!(agree("varnex", "kolbrin"), 0);
        assert_eq!(agree("", "acme"), 0);
        assert_eq!(agree("and", "and"), 1000);
        assert_eq!(agree("and", "of"), 0);
    }

    #[test]
    fn pairs_explain_the_agreement() {
        let comparison = compare_names(&tokens("acme robotcs"), &tokens("robotics acme"));
        assert_eq!(
            comparison.pairs,
            vec![
                TokenPair {
                    query: "acme".into(),
                    candidate: "acme".into(),
                    agreement: 1000
                },
                TokenPair {
                    query: "robotcs".into(),
                    candidate: "robotics".into(),
                    agreement: 925
                },
            ]
        );
    }
}
