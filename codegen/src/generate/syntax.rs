//! Builders for the syntax trees generators hand straight to prettyplease.
//!
//! Quoting tokens only to parse them back into a `syn::File` was most of a cold run: syn's
//! expression parser is the costliest step of formatting. Generators whose output is large and
//! regular (deep copies) build the tree directly with these helpers instead. Each builds the
//! very node syn's parser produces for the same source, so prettyplease prints it byte for byte
//! as it printed the parsed tokens; `tests` checks that by printing, parsing and printing again.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Block, Expr, Member, Pat, Path, PathSegment, Stmt};

/// An identifier (keywords such as `self` and `Self` included), with no source location.
pub(crate) fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

/// `a::b::c`; `::a::b` when `global`.
pub(crate) fn path(global: bool, segments: &[&str]) -> Path {
    Path {
        leading_colon: global.then(Default::default),
        segments: segments
            .iter()
            .map(|s| PathSegment::from(ident(s)))
            .collect(),
    }
}

/// An identifier as the model's text has it: raw (`r#type`) or not.
pub(crate) fn written_ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, Span::call_site()),
        None => ident(name),
    }
}

/// The path `segments` followed by `last`.
pub(crate) fn path_to(segments: &[&str], last: &syn::Ident) -> Path {
    let mut path = path(false, segments);
    path.segments.push(PathSegment::from(last.clone()));
    path
}

/// A path as an expression.
pub(crate) fn path_expr(path: Path) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// A local name (`self`, `source`, `d1`) as an expression.
pub(crate) fn name_expr(name: &syn::Ident) -> Expr {
    path_expr(Path::from(name.clone()))
}

/// A path as a pattern (`Self::Unit`).
pub(crate) fn path_pat(path: Path) -> Pat {
    Pat::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// A binding pattern (`dst_a`).
pub(crate) fn name_pat(name: &syn::Ident) -> Pat {
    Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: name.clone(),
        subpat: None,
    })
}

/// `(a, b)`, with a trailing comma when `trailing` (as `(a, b,)` is written).
pub(crate) fn tuple_pat(elems: impl IntoIterator<Item = Pat>, trailing: bool) -> Pat {
    let mut elems: Punctuated<Pat, syn::Token![,]> = elems.into_iter().collect();
    if trailing && !elems.empty_or_trailing() {
        elems.push_punct(Default::default());
    }
    Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems,
    })
}

/// `Path { a: pa, b: pb }`.
pub(crate) fn struct_pat(path: Path, fields: impl IntoIterator<Item = (Member, Pat)>) -> Pat {
    Pat::Struct(syn::PatStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(member, pat)| syn::FieldPat {
                attrs: Vec::new(),
                member,
                colon_token: Some(Default::default()),
                pat: Box::new(pat),
            })
            .collect(),
        rest: None,
    })
}

/// `Path(p0, p1)`.
pub(crate) fn tuple_struct_pat(path: Path, elems: impl IntoIterator<Item = Pat>) -> Pat {
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `a | b | c`; a single case is that pattern itself, as the parser gives it.
pub(crate) fn or_pat(mut cases: Vec<Pat>) -> Pat {
    if cases.len() == 1
        && let Some(only) = cases.pop()
    {
        return only;
    }
    Pat::Or(syn::PatOr {
        attrs: Vec::new(),
        leading_vert: None,
        cases: cases.into_iter().collect(),
    })
}

/// `func(args…)`.
pub(crate) fn call(func: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.method(args…)`.
pub(crate) fn method_call(
    receiver: Expr,
    method: &str,
    args: impl IntoIterator<Item = Expr>,
) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `base.member`.
pub(crate) fn field(base: Expr, member: Member) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member,
    })
}

/// A named or positional member (`spec`, `0`).
pub(crate) fn member(name: Option<&syn::Ident>, index: usize) -> Member {
    match name {
        Some(name) => Member::Named(name.clone()),
        None => Member::Unnamed(syn::Index {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            span: Span::call_site(),
        }),
    }
}

/// `&expr`, or `&mut expr`.
pub(crate) fn reference(expr: Expr, mutable: bool) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: mutable.then(Default::default),
        expr: Box::new(expr),
    })
}

/// `*expr`.
pub(crate) fn deref(expr: Expr) -> Expr {
    Expr::Unary(syn::ExprUnary {
        attrs: Vec::new(),
        op: syn::UnOp::Deref(Default::default()),
        expr: Box::new(expr),
    })
}

/// `left = right`.
pub(crate) fn assign(left: Expr, right: Expr) -> Expr {
    Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(left),
        eq_token: Default::default(),
        right: Box::new(right),
    })
}

/// `(a, b)`.
pub(crate) fn tuple(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `Path { a: ea, b: eb }`.
pub(crate) fn struct_expr(path: Path, fields: impl IntoIterator<Item = (Member, Expr)>) -> Expr {
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(member, expr)| syn::FieldValue {
                attrs: Vec::new(),
                member,
                colon_token: Some(Default::default()),
                expr,
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `{ stmts… }`.
pub(crate) fn block(stmts: Vec<Stmt>) -> Block {
    Block {
        brace_token: Default::default(),
        stmts,
    }
}

/// `{ stmts… }` as an expression.
pub(crate) fn block_expr(stmts: Vec<Stmt>) -> Expr {
    Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: block(stmts),
    })
}

/// `|a, b| body`.
pub(crate) fn closure(inputs: impl IntoIterator<Item = Pat>, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        modifiers: syn::ClosureModifiers::default(),
        constness: None,
        asyncness: None,
        capture: None,
        inputs_begin: Default::default(),
        inputs: inputs.into_iter().collect(),
        inputs_end: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `for pat in expr { body… }`.
pub(crate) fn for_loop(pat: Pat, expr: Expr, body: Vec<Stmt>) -> Expr {
    Expr::ForLoop(syn::ExprForLoop {
        attrs: Vec::new(),
        label: None,
        for_token: Default::default(),
        pat: Box::new(pat),
        in_token: Default::default(),
        expr: Box::new(expr),
        body: block(body),
    })
}

/// `match expr { arms… }`.
pub(crate) fn match_expr(expr: Expr, arms: Vec<syn::Arm>) -> Expr {
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(expr),
        brace_token: Default::default(),
        arms,
    })
}

/// `pat => body`: a block body stands alone, any other ends in a comma.
pub(crate) fn arm(pat: Pat, body: Expr) -> syn::Arm {
    let comma = (!matches!(body, Expr::Block(_))).then(Default::default);
    syn::Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma,
    }
}

/// `let pat = expr;`.
pub(crate) fn let_stmt(pat: Pat, expr: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat,
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(expr),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

/// `expr;`, or a block-like `expr` standing alone as the parser reads it (`{ … }`, `for`).
pub(crate) fn stmt(expr: Expr) -> Stmt {
    let semi = (!matches!(expr, Expr::Block(_) | Expr::ForLoop(_) | Expr::Match(_)))
        .then(Default::default);
    Stmt::Expr(expr, semi)
}

/// `expr` as a block's final expression, its value.
pub(crate) fn stmt_tail(expr: Expr) -> Stmt {
    Stmt::Expr(expr, None)
}
