//! The public pages' bundle: mounts [`web::public::PublicApp`] on the page's `<body>`.

fn main() {
    web::start(web::public::PublicApp);
}
