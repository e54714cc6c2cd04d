//! `clients.golden.example.io`: every `+genclient` marker combination, for the registration and
//! clientset goldens.

pub mod v1;
