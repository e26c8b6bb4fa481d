fn main() {
    for a in std::env::args().skip(1) {
        let (s, w) = trailscope::source::files::load_blocking(trailscope::source::walk::plan(&[a.clone().into()]));
        println!("{a}: {} + {} dup", s.len(), s.duplicates());
        for x in w { println!("  {x}"); }
    }
}
