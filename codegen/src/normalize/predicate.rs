//! The boolean expression shared by Rust `cfg` predicates and Go build constraints, and its
//! partial evaluation with the tags unset.
//!
//! Both languages reduce to names (`unix`, `feature = "x"`, `linux`) combined with not/all/any.
//! Partial evaluation replaces every tag by `false` and simplifies; what is left is either a
//! constant (the constraint no longer depends on anything) or an expression over the other names
//! that is equal to the original for every assignment of them.

use std::collections::BTreeSet;

/// A name a predicate tests: a bare name (`unix`), or a Rust key-value pair (`feature = "x"`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Atom {
    pub name: String,
    /// The value literal exactly as written, quotes included, so printing preserves it.
    pub value: Option<String>,
}

impl Atom {
    pub fn name(name: impl Into<String>) -> Atom {
        Atom {
            name: name.into(),
            value: None,
        }
    }

    pub fn pair(name: impl Into<String>, value: impl Into<String>) -> Atom {
        Atom {
            name: name.into(),
            value: Some(value.into()),
        }
    }

    /// A tag is unset in generated builds, and so is any `tag = "value"` pair: a name that is
    /// not set at all cannot have a value either.
    pub fn is_tag(&self, tags: &[String]) -> bool {
        tags.contains(&self.name)
    }
}

/// `All([])` is true and `Any([])` is false, so constants need no variant of their own.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Predicate {
    Name(Atom),
    Not(Box<Predicate>),
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
}

/// What is left of a predicate after partial evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The predicate no longer depends on any name.
    Always(bool),
    /// A simplified predicate: no constants inside, no nested all-in-all or any-in-any, no
    /// duplicate operands, no double negation.
    Expr(Predicate),
}

/// Above this many distinct names the truth-table check for constants is skipped (2^n rows);
/// the syntactic simplification still folds what it can, and the result stays equivalent.
const TRUTH_TABLE_LIMIT: usize = 12;

impl Predicate {
    pub const TRUE: Predicate = Predicate::All(Vec::new());
    pub const FALSE: Predicate = Predicate::Any(Vec::new());

    /// Evaluates under an assignment of every atom.
    pub fn eval(&self, assignment: &dyn Fn(&Atom) -> bool) -> bool {
        match self {
            Predicate::Name(atom) => assignment(atom),
            Predicate::Not(inner) => !inner.eval(assignment),
            Predicate::All(items) => items.iter().all(|p| p.eval(assignment)),
            Predicate::Any(items) => items.iter().any(|p| p.eval(assignment)),
        }
    }

    /// The distinct atoms, in sorted order.
    pub fn atoms(&self) -> BTreeSet<&Atom> {
        let mut out = BTreeSet::new();
        self.collect_atoms(&mut out);
        out
    }

    fn collect_atoms<'a>(&'a self, out: &mut BTreeSet<&'a Atom>) {
        match self {
            Predicate::Name(atom) => {
                out.insert(atom);
            }
            Predicate::Not(inner) => inner.collect_atoms(out),
            Predicate::All(items) | Predicate::Any(items) => {
                items.iter().for_each(|p| p.collect_atoms(out))
            }
        }
    }

    /// Whether any atom is one of `tags`.
    #[cfg(test)]
    pub fn mentions(&self, tags: &[String]) -> bool {
        self.atoms().iter().any(|a| a.is_tag(tags))
    }

    /// Partial evaluation: every tag (and `tag = "…"` pair) becomes false, then the result is
    /// simplified.
    pub fn unset(&self, tags: &[String]) -> Outcome {
        self.substitute(&|atom: &Atom| atom.is_tag(tags)).simplify()
    }

    /// Replaces the atoms `is_false` picks with the constant false.
    fn substitute(&self, is_false: &dyn Fn(&Atom) -> bool) -> Predicate {
        match self {
            Predicate::Name(atom) if is_false(atom) => Predicate::FALSE,
            Predicate::Name(atom) => Predicate::Name(atom.clone()),
            Predicate::Not(inner) => Predicate::Not(Box::new(inner.substitute(is_false))),
            Predicate::All(items) => Predicate::All(substitute_all(items, is_false)),
            Predicate::Any(items) => Predicate::Any(substitute_all(items, is_false)),
        }
    }

    /// The canonical form: constants folded, nested all-in-all / any-in-any flattened,
    /// duplicates and double negations removed, and an expression that is constant over its
    /// names (by truth table) turned into that constant.
    pub fn simplify(&self) -> Outcome {
        match self.fold() {
            Outcome::Expr(expr) => decide_by_truth_table(expr),
            constant => constant,
        }
    }

    /// Bottom-up constant folding and flattening.
    fn fold(&self) -> Outcome {
        match self {
            Predicate::Name(atom) => Outcome::Expr(Predicate::Name(atom.clone())),
            Predicate::Not(inner) => match inner.fold() {
                Outcome::Always(value) => Outcome::Always(!value),
                Outcome::Expr(Predicate::Not(double)) => Outcome::Expr(*double),
                Outcome::Expr(expr) => Outcome::Expr(Predicate::Not(Box::new(expr))),
            },
            Predicate::All(items) => fold_list(items, Junction::All),
            Predicate::Any(items) => fold_list(items, Junction::Any),
        }
    }
}

fn substitute_all(items: &[Predicate], is_false: &dyn Fn(&Atom) -> bool) -> Vec<Predicate> {
    items.iter().map(|p| p.substitute(is_false)).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Junction {
    All,
    Any,
}

impl Junction {
    /// The value that decides the whole list (false for all, true for any).
    fn absorbing(self) -> bool {
        self == Junction::Any
    }

    fn build(self, items: Vec<Predicate>) -> Predicate {
        match self {
            Junction::All => Predicate::All(items),
            Junction::Any => Predicate::Any(items),
        }
    }
}

fn fold_list(items: &[Predicate], junction: Junction) -> Outcome {
    let mut kept: Vec<Predicate> = Vec::new();
    let push = |kept: &mut Vec<Predicate>, p: Predicate| {
        if !kept.contains(&p) {
            kept.push(p);
        }
    };
    for item in items {
        match item.fold() {
            Outcome::Always(value) if value == junction.absorbing() => {
                return Outcome::Always(value);
            }
            Outcome::Always(_) => {}
            // all(a, all(b, c)) is all(a, b, c): one canonical shape for the same meaning.
            Outcome::Expr(Predicate::All(inner)) if junction == Junction::All => {
                inner.into_iter().for_each(|p| push(&mut kept, p))
            }
            Outcome::Expr(Predicate::Any(inner)) if junction == Junction::Any => {
                inner.into_iter().for_each(|p| push(&mut kept, p))
            }
            Outcome::Expr(expr) => push(&mut kept, expr),
        }
    }
    // x and not(x) side by side decide the list without looking at anything else.
    let complementary = kept.iter().any(|p| match p {
        Predicate::Not(inner) => kept.contains(inner),
        _ => false,
    });
    if complementary {
        return Outcome::Always(junction.absorbing());
    }
    match kept.len() {
        0 => Outcome::Always(!junction.absorbing()),
        1 => Outcome::Expr(kept.remove(0)),
        _ => Outcome::Expr(junction.build(kept)),
    }
}

/// Turns an expression that is constant over all its names (e.g. `any(a, b, not(all(a, b)))`)
/// into that constant, so "always true" and "always false" mean what they say.
fn decide_by_truth_table(expr: Predicate) -> Outcome {
    let atoms: Vec<&Atom> = expr.atoms().into_iter().collect();
    if atoms.len() > TRUTH_TABLE_LIMIT {
        return Outcome::Expr(expr);
    }
    let mut seen = [false; 2];
    for mask in 0u32..(1u32 << atoms.len()) {
        let value = expr.eval(&|atom: &Atom| {
            atoms
                .binary_search(&atom)
                .is_ok_and(|i| mask & (1 << i) != 0)
        });
        seen[usize::from(value)] = true;
        if seen[0] && seen[1] {
            return Outcome::Expr(expr);
        }
    }
    Outcome::Always(seen[1])
}

/// Every assignment of the given atoms, as sets of the atoms that are true (for tests).
#[cfg(test)]
pub(crate) fn assignments<'a>(atoms: &[&'a Atom]) -> Vec<BTreeSet<&'a Atom>> {
    (0u32..(1u32 << atoms.len()))
        .map(|mask| {
            atoms
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, a)| *a)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(name: &str) -> Predicate {
        Predicate::Name(Atom::name(name))
    }
    fn not(p: Predicate) -> Predicate {
        Predicate::Not(Box::new(p))
    }
    fn tags() -> Vec<String> {
        vec!["ignore_autogenerated".to_string()]
    }
    const TAG: &str = "ignore_autogenerated";

    #[test]
    fn negated_tag_is_true_and_drops_out_of_all() {
        let p = Predicate::All(vec![n("unix"), not(n(TAG))]);
        assert_eq!(p.unset(&tags()), Outcome::Expr(n("unix")));
    }

    #[test]
    fn negated_tag_decides_any() {
        let p = Predicate::Any(vec![n("test"), not(n(TAG))]);
        assert_eq!(p.unset(&tags()), Outcome::Always(true));
    }

    #[test]
    fn bare_tag_is_false() {
        assert_eq!(n(TAG).unset(&tags()), Outcome::Always(false));
        let p = Predicate::All(vec![n("unix"), n(TAG)]);
        assert_eq!(p.unset(&tags()), Outcome::Always(false));
    }

    #[test]
    fn key_value_pair_on_a_tag_is_false() {
        let p = Predicate::Any(vec![n("unix"), Predicate::Name(Atom::pair(TAG, "\"yes\""))]);
        assert_eq!(p.unset(&tags()), Outcome::Expr(n("unix")));
    }

    #[test]
    fn flattens_dedupes_and_removes_double_negation() {
        let p = Predicate::All(vec![
            n("a"),
            Predicate::All(vec![n("b"), not(not(n("a")))]),
            not(n(TAG)),
        ]);
        assert_eq!(
            p.unset(&tags()),
            Outcome::Expr(Predicate::All(vec![n("a"), n("b")]))
        );
    }

    #[test]
    fn empty_lists_are_constants() {
        assert_eq!(Predicate::TRUE.simplify(), Outcome::Always(true));
        assert_eq!(Predicate::FALSE.simplify(), Outcome::Always(false));
        assert_eq!(not(Predicate::FALSE).simplify(), Outcome::Always(true));
    }

    #[test]
    fn complements_and_hidden_tautologies_become_constants() {
        let p = Predicate::Any(vec![n("a"), not(n("a"))]);
        assert_eq!(p.simplify(), Outcome::Always(true));
        let p = Predicate::All(vec![n("a"), not(n("a")), n("b")]);
        assert_eq!(p.simplify(), Outcome::Always(false));
        let p = Predicate::Any(vec![
            n("a"),
            n("b"),
            not(Predicate::All(vec![n("a"), n("b")])),
        ]);
        assert_eq!(p.simplify(), Outcome::Always(true));
    }

    #[test]
    fn configurable_tags() {
        let tags = vec!["x".to_string(), "y".to_string()];
        let p = Predicate::All(vec![not(n("x")), not(n("y")), n("z")]);
        assert_eq!(p.unset(&tags), Outcome::Expr(n("z")));
        assert!(p.mentions(&tags));
        assert!(!n("z").mentions(&tags));
    }

    pub(crate) fn arb_predicate(names: &'static [&'static str]) -> BoxedStrategy<Predicate> {
        let leaf = proptest::sample::select(names).prop_map(n);
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(not),
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Predicate::All),
                proptest::collection::vec(inner, 0..4).prop_map(Predicate::Any),
            ]
        })
        .boxed()
    }

    const NAMES: &[&str] = &["a", "b", "c", TAG];

    proptest! {
        #[test]
        fn unset_agrees_with_the_original_for_every_assignment(p in arb_predicate(NAMES)) {
            let tags = tags();
            let outcome = p.unset(&tags);
            let atoms: Vec<&Atom> = p.atoms().into_iter().filter(|a| !a.is_tag(&tags)).collect();
            for set in assignments(&atoms) {
                let original = p.eval(&|a: &Atom| set.contains(a));
                let rewritten = match &outcome {
                    Outcome::Always(v) => *v,
                    Outcome::Expr(e) => {
                        prop_assert!(!e.mentions(&tags));
                        e.eval(&|a: &Atom| set.contains(a))
                    }
                };
                prop_assert_eq!(original, rewritten, "{:?} under {:?}", p, set);
            }
        }

        #[test]
        fn simplification_is_idempotent(p in arb_predicate(NAMES)) {
            if let Outcome::Expr(e) = p.unset(&tags()) {
                prop_assert_eq!(e.simplify(), Outcome::Expr(e.clone()));
            }
        }
    }
}
