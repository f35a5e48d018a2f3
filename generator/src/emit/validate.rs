//! `Validate` implementations for the types sent in requests.
//!
//! Each check is emitted only where the spec has a rule, and a type's `validate_at` calls into a
//! field's type only when that type has something to check, so request types without
//! constraints compile down to almost nothing.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use super::rust_type::{is_secret, present};
use crate::model::{
    Api, ArrayRules, Extra, Field, FloatBits, IntegerBits, NumberRules, Shape, StringRules, Struct, TypeDef, TypeKind,
    Union, ValueType,
};

/// The `Validate` impl of a type sent in a request: its enum or union value must be one the spec
/// lists, and every field, additional property or variant with a rule is checked.
pub fn impl_validate(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Enum(string_enum) => {
            let catch_all = ident(&string_enum.catch_all);
            quote! {
                if let Self::#catch_all(_) = self {
                    return Err(crate::validation::ValidationError::not_listed(path));
                }
            }
        }
        TypeKind::Union(union) => union_checks(api, union),
        TypeKind::Struct(object) => match struct_checks(api, object) {
            Some(checks) => checks,
            None => {
                return quote! {
                    impl crate::validation::Validate for #name {
                        #[inline]
                        fn validate_at(&self, _path: &crate::validation::FieldPath<'_>) -> Result<(), crate::validation::ValidationError> {
                            Ok(())
                        }
                    }
                };
            }
        },
    };
    quote! {
        impl crate::validation::Validate for #name {
            #[inline]
            fn validate_at(&self, path: &crate::validation::FieldPath<'_>) -> Result<(), crate::validation::ValidationError> {
                #body
                Ok(())
            }
        }
    }
}

/// A union's checks: its variant's value, or the refusal of a value the spec does not list.
fn union_checks(api: &Api, union: &Union) -> TokenStream {
    let catch_all = ident(&union.catch_all);
    let arms = union.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        match check(api, &variant.value) {
            Some(checks) => quote!(Self::#rust_name(value) => { let path = *path; #checks }),
            None => quote!(Self::#rust_name(_) => {}),
        }
    });
    quote! {
        match self {
            #(#arms)*
            Self::#catch_all(_) => return Err(crate::validation::ValidationError::not_listed(path)),
        }
    }
}

/// A struct's checks, field by field then its typed additional properties; `None` when none
/// has a rule.
fn struct_checks(api: &Api, object: &Struct) -> Option<TokenStream> {
    let fields = object.fields.iter().filter_map(|field| field_check(api, field));
    let extra = match &object.extra {
        Extra::Typed { field, value } => check(api, value).map(|inner| {
            let rust_name = ident(field);
            quote! {
                for (key, value) in &self.#rust_name {
                    let path = path.key(key);
                    #inner
                }
            }
        }),
        _ => None,
    };
    let checks: Vec<TokenStream> = fields.chain(extra).collect();
    (!checks.is_empty()).then(|| quote!(#(#checks)*))
}

/// The check of one field's value when present, at the path of its property.
fn field_check(api: &Api, field: &Field) -> Option<TokenStream> {
    let rust_name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let some = ValueType { shape: field.value.shape.clone(), nullable: false };
    let inner = check(api, &some)?;
    let inner = if is_secret(field) { quote!(let value = value.expose(); #inner) } else { inner };
    Some(if field.is_option() {
        let value = present(field, quote!(self.#rust_name));
        quote! {
            if let Some(value) = #value {
                let path = path.field(#wire);
                #inner
            }
        }
    } else {
        quote! {
            {
                let value = &self.#rust_name;
                let path = path.field(#wire);
                #inner
            }
        }
    })
}

/// Statements that check the value of the expression `expr` (a reference) as a whole request
/// value, or `None` when its type has no rule to check.
pub fn check_root(api: &Api, expr: TokenStream, value: &ValueType) -> Option<TokenStream> {
    let checks = check(api, value)?;
    if let (Shape::Named(_), false) = (&value.shape, value.nullable) {
        return Some(quote!(crate::validation::Validate::validate(#expr)?;));
    }
    Some(quote! {
        {
            let value = #expr;
            let path = crate::validation::FieldPath::root();
            #checks
        }
    })
}

/// Statements checking `value` (a reference bound to the variable `value`, at the path bound to
/// `path`), or `None` when the model says it has no rule ([`Api::has_rules`]).
fn check(api: &Api, value: &ValueType) -> Option<TokenStream> {
    api.has_rules(value).then(|| checks(api, value))
}

/// The statements of [`check`], written from the rules themselves: empty exactly when the
/// model says the value has none (a test holds the two together on every spec at hand).
fn checks(api: &Api, value: &ValueType) -> TokenStream {
    if value.nullable {
        let present = ValueType { shape: value.shape.clone(), nullable: false };
        return match check(api, &present) {
            Some(inner) => quote! {
                if let Some(value) = value {
                    #inner
                }
            },
            None => TokenStream::new(),
        };
    }
    match &value.shape {
        Shape::Named(id) if api.is_validated(*id) => quote!(crate::validation::Validate::validate_at(value, &path)?;),
        Shape::String(rules) => string_checks(rules),
        Shape::Integer { bits, rules } => {
            let as_f64 = match bits {
                IntegerBits::I32 => quote!(f64::from(*value)),
                IntegerBits::I64 => quote!(*value as f64),
            };
            number_checks(as_f64, rules)
        }
        Shape::Number { bits, rules } => {
            let as_f64 = match bits {
                FloatBits::F32 => quote!(f64::from(*value)),
                FloatBits::F64 => quote!(*value),
            };
            number_checks(as_f64, rules)
        }
        Shape::Array { items, rules } => array_checks(api, items, rules),
        Shape::Tuple(items) => tuple_checks(api, items),
        Shape::Map { values } => match check(api, values) {
            Some(inner) => quote! {
                for (key, value) in value {
                    let path = path.key(key);
                    #inner
                }
            },
            None => TokenStream::new(),
        },
        // A mapped type's constraints were dropped, with a warning, when it was lowered.
        Shape::Named(_)
        | Shape::Date
        | Shape::DateTime
        | Shape::Binary
        | Shape::Boolean
        | Shape::Any
        | Shape::Mapped(_) => TokenStream::new(),
    }
}

fn string_checks(rules: &StringRules) -> TokenStream {
    let min = rules.min_length.map(|n| count_check("min_length", quote!(value), n));
    let max = rules.max_length.map(|n| count_check("max_length", quote!(value), n));
    let pattern = rules.pattern.as_ref().map(|pattern| {
        quote! {
            static PATTERN: crate::pattern::Pattern = crate::pattern::Pattern::new(#pattern);
            PATTERN.check(value, &path)?;
        }
    });
    [min, max, pattern].into_iter().flatten().collect()
}

/// An array's item counts, then each item.
fn array_checks(api: &Api, items: &ValueType, rules: &ArrayRules) -> TokenStream {
    let min = rules.min_items.map(|n| count_check("min_items", quote!(value.len()), n));
    let max = rules.max_items.map(|n| count_check("max_items", quote!(value.len()), n));
    let each = check(api, items).map(|inner| {
        quote! {
            for (index, value) in value.iter().enumerate() {
                let path = path.index(index);
                #inner
            }
        }
    });
    [min, max, each].into_iter().flatten().collect()
}

/// Each position of a tuple that has a rule.
fn tuple_checks(api: &Api, items: &[ValueType]) -> TokenStream {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let inner = check(api, item)?;
            let position = syn::Index::from(index);
            Some(quote! {
                {
                    let value = &value.#position;
                    let path = path.index(#index);
                    #inner
                }
            })
        })
        .collect()
}

fn number_checks(as_f64: TokenStream, rules: &NumberRules) -> TokenStream {
    let min = rules.minimum.map(|bound| {
        let bound = Literal::f64_unsuffixed(bound);
        let exclusive = rules.exclusive_minimum;
        quote!(crate::validation::minimum(#as_f64, #bound, #exclusive, &path)?;)
    });
    let max = rules.maximum.map(|bound| {
        let bound = Literal::f64_unsuffixed(bound);
        let exclusive = rules.exclusive_maximum;
        quote!(crate::validation::maximum(#as_f64, #bound, #exclusive, &path)?;)
    });
    [min, max].into_iter().flatten().collect()
}

/// A call to one of the runtime's length or count checks, with an unsuffixed bound.
fn count_check(check: &str, value: TokenStream, bound: usize) -> TokenStream {
    let check = super::ident(check);
    let bound = Literal::usize_unsuffixed(bound);
    quote!(crate::validation::#check(#value, #bound, &path)?;)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::model::{RequestBody, ResponseBody};

    /// Our spec and every fixture spec, each with the config beside it.
    fn specs() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let fixtures = std::fs::read_dir(root.join("tests/fixtures")).expect("the fixtures are at hand");
        let mut specs: Vec<PathBuf> =
            fixtures.flatten().map(|entry| entry.path().join("openapi.yaml")).filter(|path| path.exists()).collect();
        specs.sort();
        specs.push(root.join("spec/openapi.yaml"));
        specs
    }

    fn lower(spec: &Path) -> Api {
        let document = crate::load::load(spec).expect("the spec loads").document;
        let config = crate::config::beside(spec)
            .map(|path| crate::config::Config::read(&path).expect("the config is read"))
            .unwrap_or_default();
        crate::model::lower_with_config(&document, None, &config).expect("the spec lowers").0
    }

    /// A value and every value it holds, nullable or not.
    fn push_all<'a>(value: &'a ValueType, into: &mut Vec<&'a ValueType>) {
        into.push(value);
        match &value.shape {
            Shape::Array { items, .. } => push_all(items, into),
            Shape::Map { values } => push_all(values, into),
            Shape::Tuple(items) => items.iter().for_each(|item| push_all(item, into)),
            _ => {}
        }
    }

    /// Every value of the model: fields, additional properties, variants, bodies and responses.
    fn every_value(api: &Api) -> Vec<&ValueType> {
        let mut values = Vec::new();
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(object) => {
                    object.fields.iter().for_each(|field| push_all(&field.value, &mut values));
                    if let Extra::Typed { value, .. } = &object.extra {
                        push_all(value, &mut values);
                    }
                }
                TypeKind::Union(union) => union.variants.iter().for_each(|v| push_all(&v.value, &mut values)),
                TypeKind::Enum(_) => {}
            }
        }
        for operation in &api.operations {
            if let Some(RequestBody { value, .. }) = &operation.body {
                push_all(value, &mut values);
            }
            if let Some(ResponseBody::Json(value)) = &operation.response {
                push_all(value, &mut values);
            }
        }
        values
    }

    #[test]
    fn checks_are_written_exactly_for_the_values_the_model_says_have_rules() {
        let mut with_rules = 0;
        for spec in specs() {
            let api = lower(&spec);
            for value in every_value(&api) {
                let has_rules = api.has_rules(value);
                assert_eq!(!checks(&api, value).is_empty(), has_rules, "{}: {value:?}", spec.display());
                with_rules += usize::from(has_rules);
            }
        }
        assert!(with_rules > 50, "only {with_rules} values with rules");
    }
}
