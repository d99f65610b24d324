/* ef_clones.h — EF_CLONES(...): GCC's target_clones on x86-64, so that a hot
 * loop also gets copies for wider vector units, one chosen at load time
 * (e.g. EF_CLONES("avx2", "default")).  Elsewhere, under clang and under
 * TSan (which would instrument the resolver, run before TSan starts) it is
 * nothing.  The copies round as the plain code does as long as no FMA is
 * enabled: ISO C mode keeps -ffp-contract=off. */
#ifndef EF_CLONES_H
#define EF_CLONES_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__has_attribute) && \
    !defined(__SANITIZE_THREAD__)
#if __has_attribute(target_clones)
#define EF_CLONES(...) __attribute__((target_clones(__VA_ARGS__)))
#endif
#endif
#ifndef EF_CLONES
#define EF_CLONES(...)
#endif

#endif
