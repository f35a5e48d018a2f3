//! `Validate` implementations for the types sent in requests.
//!
//! Each check is emitted only where the spec has a rule, and a type's `validate_at` calls into a
//! field's type only when that type has something to check, so request types without
//! constraints compile down to almost nothing.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use super::rust_type::{is_secret, present};
use crate::model::{Api, Extra, FloatBits, IntegerBits, NumberRules, Shape, TypeDef, TypeKind, ValueType};

pub struct Validation {
    /// Whether each type has any rule to check, by type index.
    needs: Vec<bool>,
}

impl Validation {
    pub fn new(api: &Api) -> Self {
        let mut validation = Validation { needs: vec![false; api.types.len()] };
        // Rules propagate from a type to the types that contain it; iterate to a fixed point.
        loop {
            let mut changed = false;
            for (index, def) in api.types.iter().enumerate() {
                if def.in_request && !validation.needs[index] && validation.has_rules(def) {
                    validation.needs[index] = true;
                    changed = true;
                }
            }
            if !changed {
                return validation;
            }
        }
    }

    fn has_rules(&self, def: &TypeDef) -> bool {
        match &def.kind {
            TypeKind::Enum(_) | TypeKind::Union(_) => true,
            TypeKind::Struct(object) => {
                object.fields.iter().any(|field| self.check(&field.value).is_some())
                    || matches!(&object.extra, Extra::Typed { value, .. } if self.check(value).is_some())
            }
        }
    }

    pub fn impl_validate(&self, def: &TypeDef) -> TokenStream {
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
            TypeKind::Union(union) => {
                let catch_all = ident(&union.catch_all);
                let arms = union.variants.iter().map(|variant| {
                    let rust_name = ident(&variant.rust_name);
                    match self.check(&variant.value) {
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
            TypeKind::Struct(object) => {
                let fields = object.fields.iter().filter_map(|field| {
                    let rust_name = ident(&field.rust_name);
                    let wire = &field.wire_name;
                    let some = ValueType { shape: field.value.shape.clone(), nullable: false };
                    let inner = self.check(&some)?;
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
                });
                let extra = match &object.extra {
                    Extra::Typed { field, value } => self.check(value).map(|inner| {
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
                if checks.is_empty() {
                    return quote! {
                        impl crate::validation::Validate for #name {
                            fn validate_at(&self, _path: &crate::validation::FieldPath<'_>) -> Result<(), crate::validation::ValidationError> {
                                Ok(())
                            }
                        }
                    };
                }
                quote!(#(#checks)*)
            }
        };
        quote! {
            impl crate::validation::Validate for #name {
                fn validate_at(&self, path: &crate::validation::FieldPath<'_>) -> Result<(), crate::validation::ValidationError> {
                    #body
                    Ok(())
                }
            }
        }
    }

    /// Statements that check the value of the expression `expr` (a reference) as a whole
    /// request value, or `None` when its type has no rule to check.
    pub fn check_root(&self, expr: TokenStream, value: &ValueType) -> Option<TokenStream> {
        let checks = self.check(value)?;
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

    /// Statements checking `value` (a reference bound to the variable `value`, at the path bound
    /// to `path`), or `None` when there is nothing to check.
    fn check(&self, value: &ValueType) -> Option<TokenStream> {
        if value.nullable {
            let present = ValueType { shape: value.shape.clone(), nullable: false };
            let inner = self.check(&present)?;
            return Some(quote! {
                if let Some(value) = value {
                    #inner
                }
            });
        }
        match &value.shape {
            Shape::Named(id) => {
                self.needs[id.0].then(|| quote!(crate::validation::Validate::validate_at(value, &path)?;))
            }
            Shape::String(rules) => {
                let min = rules.min_length.map(|n| count_check("min_length", quote!(value), n));
                let max = rules.max_length.map(|n| count_check("max_length", quote!(value), n));
                let pattern = rules.pattern.as_ref().map(|pattern| {
                    quote! {
                        static PATTERN: crate::pattern::Pattern = crate::pattern::Pattern::new(#pattern);
                        PATTERN.check(value, &path)?;
                    }
                });
                let checks: Vec<TokenStream> = [min, max, pattern].into_iter().flatten().collect();
                (!checks.is_empty()).then(|| quote!(#(#checks)*))
            }
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
            Shape::Array { items, rules } => {
                let min = rules.min_items.map(|n| count_check("min_items", quote!(value.len()), n));
                let max = rules.max_items.map(|n| count_check("max_items", quote!(value.len()), n));
                let each = self.check(items).map(|inner| {
                    quote! {
                        for (index, value) in value.iter().enumerate() {
                            let path = path.index(index);
                            #inner
                        }
                    }
                });
                let checks: Vec<TokenStream> = [min, max, each].into_iter().flatten().collect();
                (!checks.is_empty()).then(|| quote!(#(#checks)*))
            }
            Shape::Tuple(items) => {
                let checks: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| {
                        let inner = self.check(item)?;
                        let position = syn::Index::from(index);
                        Some(quote! {
                            {
                                let value = &value.#position;
                                let path = path.index(#index);
                                #inner
                            }
                        })
                    })
                    .collect();
                (!checks.is_empty()).then(|| quote!(#(#checks)*))
            }
            Shape::Map { values } => self.check(values).map(|inner| {
                quote! {
                    for (key, value) in value {
                        let path = path.key(key);
                        #inner
                    }
                }
            }),
            // A mapped type's constraints were dropped, with a warning, when it was lowered.
            Shape::Date | Shape::DateTime | Shape::Binary | Shape::Boolean | Shape::Any | Shape::Mapped(_) => None,
        }
    }
}

fn number_checks(as_f64: TokenStream, rules: &NumberRules) -> Option<TokenStream> {
    if rules.is_empty() {
        return None;
    }
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
    let checks: Vec<TokenStream> = [min, max].into_iter().flatten().collect();
    Some(quote!(#(#checks)*))
}

/// A call to one of the runtime's length or count checks, with an unsuffixed bound.
fn count_check(check: &str, value: TokenStream, bound: usize) -> TokenStream {
    let check = super::ident(check);
    let bound = Literal::usize_unsuffixed(bound);
    quote!(crate::validation::#check(#value, #bound, &path)?;)
}
