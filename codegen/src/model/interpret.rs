//! Turns marker lines into typed package and type settings, reporting every malformed one.

use std::collections::BTreeSet;

use super::client::{CustomMethod, INPUT_VERBS, RESULT_VERBS, Verb, type_path};
use super::lifecycle::{self, LifecycleMarkers, Release};
use super::marker::{Marker, closest};
use super::naming::{is_dns_label, is_dns_subdomain, is_kube_version, snake_case};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Markers that configure a whole version module.
pub const PACKAGE_MARKERS: &[&str] = &[
    "groupName",
    "versionName",
    "groupGoName",
    lifecycle::PACKAGE_MARKER,
];
/// Markers that configure one type (`k8s:deepcopy-gen` is both: `=package` is a package marker).
pub const TYPE_MARKERS: &[&str] = &[
    "k8s:deepcopy-gen",
    "k8s:deepcopy-gen:interfaces",
    "genclient",
    "genclient:nonNamespaced",
    "genclient:noStatus",
    "genclient:noVerbs",
    "genclient:readonly",
    "genclient:onlyVerbs",
    "genclient:skipVerbs",
    "genclient:method",
    "resourceName",
    "shortNames",
    "k8s:prerelease-lifecycle-gen:introduced",
    "k8s:prerelease-lifecycle-gen:deprecated",
    "k8s:prerelease-lifecycle-gen:removed",
    "k8s:prerelease-lifecycle-gen:replacement",
];

/// The values `+k8s:deepcopy-gen` takes: `package` above a version module's first item,
/// `true`/`false` above a type.
pub const DEEPCOPY_VALUES: &[&str] = &["package", "true", "false"];

/// Whether a `+k8s:deepcopy-gen` marker has one of [`DEEPCOPY_VALUES`] (other markers: true).
pub fn has_valid_deepcopy_value(m: &Marker) -> bool {
    m.name != "k8s:deepcopy-gen"
        || m.value
            .as_deref()
            .is_some_and(|v| DEEPCOPY_VALUES.contains(&v))
}

/// Whether a known marker configures a package (by name, and `+k8s:deepcopy-gen=package`).
pub fn is_package_marker(m: &Marker) -> bool {
    PACKAGE_MARKERS.contains(&m.name.as_str())
        || (m.name == "k8s:deepcopy-gen" && m.value.as_deref() == Some("package"))
}

pub fn is_known(m: &Marker) -> bool {
    PACKAGE_MARKERS.contains(&m.name.as_str()) || TYPE_MARKERS.contains(&m.name.as_str())
}

/// Collects diagnostics about the markers of one file.
#[derive(Debug)]
pub struct MarkerErrors<'a> {
    pub file: &'a SourceFile,
    pub errors: Vec<Diagnostic>,
}

impl<'a> MarkerErrors<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        MarkerErrors {
            file,
            errors: Vec::new(),
        }
    }

    pub fn at(&mut self, m: &Marker, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(
            Diagnostic::new(&self.file.rel, message)
                .at(m.line, m.column)
                .width(m.width)
                .help(help),
        );
    }

    /// The error for a marker name we own but do not know.
    pub fn unknown(&mut self, m: &Marker) {
        let all: Vec<&str> = PACKAGE_MARKERS
            .iter()
            .chain(TYPE_MARKERS)
            .copied()
            .collect();
        let help = match closest(&m.name, &all) {
            Some(name) => format!("did you mean `+{name}`?"),
            None => {
                "remove it, or see the marker table in README.md for what kube-codegen understands"
                    .to_owned()
            }
        };
        self.at(m, format!("unknown marker `+{}`", m.name), help);
    }

    /// `+k8s:deepcopy-gen` with a value other than `package`, `true` or `false`.
    pub fn invalid_deepcopy_value(&mut self, m: &Marker) {
        let value = m.value.as_deref().unwrap_or("");
        let help = match closest(value, DEEPCOPY_VALUES) {
            Some(v) => format!("did you mean `+k8s:deepcopy-gen={v}`?"),
            None => "write `+k8s:deepcopy-gen=package` above the first item of the version module, or `=true`/`=false` above a type".to_owned(),
        };
        let message = if m.value.is_none() {
            "`+k8s:deepcopy-gen` needs a value".to_owned()
        } else {
            format!("invalid value `{value}` for `+k8s:deepcopy-gen`")
        };
        self.at(m, message, help);
    }

    fn duplicate(&mut self, m: &Marker) {
        self.at(
            m,
            format!("duplicate marker `+{}`", m.name),
            "keep one of them",
        );
    }

    fn no_value(&mut self, m: &Marker) -> bool {
        if m.value.is_some() {
            self.at(
                m,
                format!("`+{}` takes no value", m.name),
                format!("write `+{}`", m.name),
            );
            return false;
        }
        true
    }

    fn value<'m>(&mut self, m: &'m Marker, example: &str) -> Option<&'m str> {
        if m.value.is_none() {
            self.at(
                m,
                format!("`+{}` needs a value", m.name),
                format!("write it as `{example}`"),
            );
        }
        m.value.as_deref()
    }
}

/// Package settings from the markers above the first item of a version module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageMarkers {
    /// `Some("")` is the core group.
    pub group: Option<String>,
    pub version: Option<String>,
    pub group_rust_name: Option<String>,
    pub deepcopy_package: bool,
    /// `+k8s:prerelease-lifecycle-gen=true`: the package's kinds have a lifecycle.
    pub lifecycle: bool,
}

impl PackageMarkers {
    pub fn interpret(markers: &[Marker], errors: &mut MarkerErrors<'_>) -> PackageMarkers {
        let mut out = PackageMarkers::default();
        let mut seen = BTreeSet::new();
        for m in markers {
            if !seen.insert(m.name.as_str()) {
                errors.duplicate(m);
                continue;
            }
            match m.name.as_str() {
                "groupName" => {
                    let Some(v) = errors.value(m, "+groupName=example.com") else {
                        continue;
                    };
                    if v.is_empty() || is_dns_subdomain(v) {
                        out.group = Some(v.to_owned());
                    } else {
                        errors.at(
                            m,
                            format!("`{v}` is not a valid API group name"),
                            "a group is a lower-case DNS subdomain such as `widgets.example.com`; leave the value empty for the core group",
                        );
                    }
                }
                "versionName" => {
                    let Some(v) = errors.value(m, "+versionName=v1") else {
                        continue;
                    };
                    if is_kube_version(v) {
                        out.version = Some(v.to_owned());
                    } else {
                        errors.at(
                            m,
                            format!("`{v}` is not a Kubernetes API version"),
                            "versions look like `v1`, `v2beta1` or `v1alpha3`",
                        );
                    }
                }
                "groupGoName" => {
                    let Some(v) = errors.value(m, "+groupGoName=Widgets") else {
                        continue;
                    };
                    if syn::parse_str::<syn::Ident>(&snake_case(v)).is_ok() {
                        out.group_rust_name = Some(snake_case(v));
                    } else {
                        errors.at(
                            m,
                            format!("`{v}` cannot name the group in Rust"),
                            "use letters, digits and underscores, starting with a letter",
                        );
                    }
                }
                lifecycle::PACKAGE_MARKER => match m.value.as_deref() {
                    Some("true") => out.lifecycle = true,
                    Some("false") => out.lifecycle = false,
                    other => errors.at(
                        m,
                        match other {
                            Some(v) => format!("invalid value `{v}` for `+{}`", m.name),
                            None => format!("`+{}` needs a value", m.name),
                        },
                        format!("write `+{}=true`", m.name),
                    ),
                },
                _ => out.deepcopy_package = true,
            }
        }
        out
    }
}

/// Type settings from the markers directly above a struct or enum.
#[derive(Clone, Debug, Default)]
pub struct TypeMarkers {
    /// `+k8s:deepcopy-gen=true|false`.
    pub deepcopy: Option<(bool, Marker)>,
    /// `+k8s:deepcopy-gen:interfaces=Object`.
    pub object_interface: Option<Marker>,
    pub genclient: Option<Marker>,
    pub non_namespaced: bool,
    pub no_status: bool,
    pub no_verbs: bool,
    pub readonly: bool,
    pub only_verbs: Option<(BTreeSet<Verb>, Marker)>,
    pub skip_verbs: Option<(BTreeSet<Verb>, Marker)>,
    pub methods: Vec<(CustomMethod, Marker)>,
    pub resource_name: Option<String>,
    /// `+shortNames=wd,wdg`: what discovery reports (`kubectl get wd`).
    pub short_names: Vec<String>,
    /// `+k8s:prerelease-lifecycle-gen:introduced=1.26` and the others.
    pub lifecycle: LifecycleMarkers,
}

impl TypeMarkers {
    pub fn interpret(markers: &[Marker], errors: &mut MarkerErrors<'_>) -> TypeMarkers {
        let mut out = TypeMarkers::default();
        let mut seen = BTreeSet::new();
        for m in markers {
            if m.name != "genclient:method" && !seen.insert(m.name.as_str()) {
                errors.duplicate(m);
                continue;
            }
            if m.name.starts_with("k8s:prerelease-lifecycle-gen:") {
                out.lifecycle.written = true;
            }
            match m.name.as_str() {
                "k8s:deepcopy-gen" => match m.value.as_deref() {
                    Some("true") => out.deepcopy = Some((true, m.clone())),
                    Some("false") => out.deepcopy = Some((false, m.clone())),
                    _ => errors.invalid_deepcopy_value(m),
                },
                "k8s:deepcopy-gen:interfaces" => match m.value.as_deref() {
                    Some("Object" | "k8s.io/apimachinery/pkg/runtime.Object") => {
                        out.object_interface = Some(m.clone());
                    }
                    other => errors.at(
                        m,
                        format!("unsupported deep-copy interface `{}`", other.unwrap_or("")),
                        "the supported interface is `Object` (kube_codegen_runtime::Object): write `+k8s:deepcopy-gen:interfaces=Object`",
                    ),
                },
                "genclient" => {
                    errors.no_value(m);
                    // Kept even with a stray value (reported above), so the other
                    // `+genclient:` markers are not also reported as lacking it.
                    out.genclient = Some(m.clone());
                }
                "genclient:nonNamespaced" => out.non_namespaced = errors.no_value(m),
                "genclient:noStatus" => out.no_status = errors.no_value(m),
                "genclient:noVerbs" => out.no_verbs = errors.no_value(m),
                "genclient:readonly" => out.readonly = errors.no_value(m),
                "genclient:onlyVerbs" | "genclient:skipVerbs" => {
                    let Some(v) = errors.value(m, &format!("+{}=get,list", m.name)) else {
                        continue;
                    };
                    let Some(verbs) = verb_list(v, m, errors) else {
                        continue;
                    };
                    if m.name == "genclient:onlyVerbs" {
                        out.only_verbs = Some((verbs, m.clone()));
                    } else {
                        out.skip_verbs = Some((verbs, m.clone()));
                    }
                }
                "genclient:method" => {
                    let example = "+genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale";
                    let Some(v) = errors.value(m, example) else {
                        continue;
                    };
                    if let Some(method) = custom_method(v, m, errors) {
                        out.methods.push((method, m.clone()));
                    }
                }
                "resourceName" => {
                    let Some(v) = errors.value(m, "+resourceName=widgets") else {
                        continue;
                    };
                    if is_dns_label(v) {
                        out.resource_name = Some(v.to_owned());
                    } else {
                        errors.at(
                            m,
                            format!("`{v}` is not a valid resource name"),
                            "a resource name is a lower-case DNS label such as `widgets`",
                        );
                    }
                }
                "shortNames" => {
                    let Some(v) = errors.value(m, "+shortNames=wd,wdg") else {
                        continue;
                    };
                    let names: Vec<&str> = v.split(',').map(str::trim).collect();
                    match names.iter().find(|n| !is_dns_label(n)) {
                        None => out.short_names = names.iter().map(|n| (*n).to_owned()).collect(),
                        Some(bad) => errors.at(
                            m,
                            format!("`{bad}` is not a valid short name"),
                            "short names are lower-case DNS labels separated by commas, such as `+shortNames=wd,wdg`",
                        ),
                    }
                }
                "k8s:prerelease-lifecycle-gen:introduced"
                | "k8s:prerelease-lifecycle-gen:deprecated"
                | "k8s:prerelease-lifecycle-gen:removed" => {
                    let Some(v) = errors.value(m, &format!("+{}=1.29", m.name)) else {
                        continue;
                    };
                    let Some(release) = Release::parse(v) else {
                        errors.at(
                            m,
                            format!("`{v}` is not a Kubernetes release"),
                            format!("write the minor release as `<major>.<minor>`, e.g. `+{}=1.29`", m.name),
                        );
                        continue;
                    };
                    let slot = match m.name.rsplit(':').next() {
                        Some("introduced") => &mut out.lifecycle.introduced,
                        Some("deprecated") => &mut out.lifecycle.deprecated,
                        _ => &mut out.lifecycle.removed,
                    };
                    *slot = Some((release, m.clone()));
                }
                "k8s:prerelease-lifecycle-gen:replacement" => {
                    let example = format!("+{}=widgets.example.io,v1,Widget", m.name);
                    let Some(v) = errors.value(m, &example) else {
                        continue;
                    };
                    match lifecycle::parse_replacement(v) {
                        Ok(gvk) => out.lifecycle.replacement = Some((gvk, m.clone())),
                        Err(why) => errors.at(m, why, format!("write it as `{example}`")),
                    }
                }
                _ => errors.unknown(m),
            }
        }
        out.check_consistency(markers, errors);
        out
    }

    /// Markers that contradict each other or need another one.
    fn check_consistency(&self, markers: &[Marker], errors: &mut MarkerErrors<'_>) {
        if self.genclient.is_none() {
            for m in markers.iter().filter(|m| {
                m.name.starts_with("genclient:")
                    || m.name == "resourceName"
                    || m.name == "shortNames"
                    || lifecycle::TYPE_MARKERS.contains(&m.name.as_str())
            }) {
                errors.at(
                    m,
                    format!("`+{}` needs `+genclient` on the same type", m.name),
                    "add `// +genclient` above the type, or remove this marker",
                );
            }
        }
        if let (Some((false, _)), Some(m)) = (&self.deepcopy, &self.object_interface) {
            errors.at(
                m,
                "`+k8s:deepcopy-gen:interfaces` on a type opted out of deep copy",
                "remove `+k8s:deepcopy-gen=false`, or this marker",
            );
        }
        let conflicts_with_no_verbs = markers.iter().filter(|m| {
            matches!(
                m.name.as_str(),
                "genclient:readonly" | "genclient:onlyVerbs" | "genclient:skipVerbs"
            )
        });
        if self.no_verbs {
            for m in conflicts_with_no_verbs {
                errors.at(
                    m,
                    format!("`+{}` contradicts `+genclient:noVerbs`", m.name),
                    "a client with no verbs has nothing to restrict: keep one of the two",
                );
            }
        }
        if let (true, Some((_, m))) = (self.readonly, &self.only_verbs) {
            errors.at(
                m,
                "`+genclient:onlyVerbs` contradicts `+genclient:readonly`",
                "`readonly` means `onlyVerbs=get,list,watch`: keep one of the two",
            );
        }
        if let (Some((only, _)), Some((skip, m))) = (&self.only_verbs, &self.skip_verbs) {
            for verb in only.intersection(skip) {
                errors.at(
                    m,
                    format!(
                        "verb `{verb}` is in both `+genclient:onlyVerbs` and `+genclient:skipVerbs`"
                    ),
                    format!("remove `{verb}` from one of the two lists"),
                );
            }
        }
    }
}

fn verb_list(value: &str, m: &Marker, errors: &mut MarkerErrors<'_>) -> Option<BTreeSet<Verb>> {
    let mut verbs = BTreeSet::new();
    let mut ok = true;
    for word in value.split(',').map(str::trim) {
        if word.is_empty() {
            ok = false;
            errors.at(
                m,
                format!("empty verb in `+{}`", m.name),
                "remove the extra comma; verbs are separated by single commas (`get,list`)",
            );
            continue;
        }
        match Verb::from_marker_name(word) {
            Some(v) => {
                verbs.insert(v);
            }
            None => {
                ok = false;
                let names = Verb::marker_names();
                let help = match closest(word, &names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("verbs are: {}", names.join(", ")),
                };
                errors.at(m, format!("unknown verb `{word}` in `+{}`", m.name), help);
            }
        }
    }
    ok.then_some(verbs)
}

/// Verbs a generated client can send to a subresource.
const SUBRESOURCE_VERBS: &[Verb] = &[Verb::Get, Verb::Create, Verb::Update, Verb::Patch];

/// Parses `Name,verb=get,subresource=scale,input=…,result=…`.
fn custom_method(value: &str, m: &Marker, errors: &mut MarkerErrors<'_>) -> Option<CustomMethod> {
    let mut parts = value.split(',').map(str::trim);
    let name = parts.next().unwrap_or_default();
    let mut fail = |message: String, help: &str| {
        errors.at(m, message, help);
        None
    };
    if syn::parse_str::<syn::Ident>(name).is_err() || name.contains('=') {
        return fail(
            format!("`+genclient:method` needs a method name first, found `{name}`"),
            "write `+genclient:method=GetScale,verb=get,subresource=scale,result=…`",
        );
    }
    let (mut verb, mut subresource, mut input, mut result) = (None, None, None, None);
    let mut keys = BTreeSet::new();
    for part in parts {
        let Some((key, val)) = part.split_once('=') else {
            return fail(
                format!("`{part}` in `+genclient:method` is not `key=value`"),
                "the keys are verb, subresource, input and result",
            );
        };
        if !keys.insert(key.trim()) {
            let key = key.trim();
            return fail(
                format!("`{key}` is given twice in `+genclient:method`"),
                &format!("keep one `{key}=`"),
            );
        }
        match key.trim() {
            "verb" => match Verb::from_marker_name(val.trim()) {
                Some(v) if !v.is_status() && v != Verb::DeleteCollection => verb = Some(v),
                _ => {
                    return fail(
                        format!("`{val}` is not a verb a custom method can use"),
                        "use one of: create, update, delete, get, list, watch, patch, apply",
                    );
                }
            },
            "subresource" if is_dns_label(val.trim()) => subresource = Some(val.trim().to_owned()),
            "subresource" => {
                return fail(
                    format!("`{}` is not a valid subresource name", val.trim()),
                    "a subresource is a lower-case name such as `scale` or `status`",
                );
            }
            "input" | "result" => {
                let relative = |p: &syn::Path| {
                    p.segments
                        .first()
                        .is_some_and(|s| s.ident == "self" || s.ident == "super")
                };
                let Some(path) = type_path(val.trim()).filter(|p| !relative(p)) else {
                    return fail(
                        format!("`{val}` is not a type path"),
                        "name a Rust type by an absolute or `crate::` path (`k8s_openapi::api::autoscaling::v1::Scale`, `crate::v1::Report`) or a Go package type (`k8s.io/api/autoscaling/v1.Scale`)",
                    );
                };
                if key.trim() == "input" {
                    input = Some(path);
                } else {
                    result = Some(path);
                }
            }
            other => {
                return fail(
                    format!("unknown key `{other}` in `+genclient:method`"),
                    "the keys are verb, subresource (a lower-case name), input and result",
                );
            }
        }
    }
    let Some(verb) = verb else {
        return fail(
            "`+genclient:method` needs `verb=`".to_owned(),
            "add `verb=get` (or create, update, delete, list, watch, patch, apply)",
        );
    };
    if input.is_some() && !INPUT_VERBS.contains(&verb) {
        return fail(
            format!("`input=` is only allowed with create, update and apply, not `{verb}`"),
            "remove `input=`",
        );
    }
    if result.is_some() && !RESULT_VERBS.contains(&verb) {
        return fail(
            format!("`result=` is not allowed with `{verb}`"),
            "remove `result=`",
        );
    }
    let Some(subresource) = subresource else {
        return fail(
            "`+genclient:method` needs `subresource=`".to_owned(),
            "a custom method acts on a subresource: add e.g. `subresource=scale`",
        );
    };
    if !SUBRESOURCE_VERBS.contains(&verb) {
        return fail(
            format!("a custom method cannot `{verb}` a subresource"),
            "use verb=get, create, update or patch",
        );
    }
    Some(CustomMethod {
        name: name.to_owned(),
        verb,
        subresource,
        input,
        result,
    })
}
