//! The whole application: mounts [`web::app::App`] on the page's `<body>`.

fn main() {
    web::start(web::app::App);
}
