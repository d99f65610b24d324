/* test_project.c — the project config (ecgfit.ini): init/load round trip,
 * relative and absolute paths, comments, parse errors with line numbers,
 * refusing to overwrite, ef_project_set. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "store/ef_project.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        perror(path);
        exit(99);
    }
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = ef_xcalloc(1, 65536);

    if (f) {
        size_t n = fread(buf, 1, 65535, f);

        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

/* Load dir/ecgfit.ini written with text; return the status and leave the
 * formatted error in msg. */
static int load_text(const char *dir, const char *text, char *msg, size_t size)
{
    char *cfg = ef_xasprintf("%s/ecgfit.ini", dir);
    ef_project p;
    ef_error err;
    int rc;

    mkdir(dir, 0777);
    put(cfg, text);
    ef_error_clear(&err);
    rc = ef_project_load(&p, dir, &err);
    ef_error_format(&err, msg, size);
    ef_project_fini(&p);
    free(cfg);
    return rc;
}

static void parse_error(const char *text, long line, const char *what, const char *desc)
{
    char msg[1200], want[64];

    snprintf(want, sizeof want, "pe/ecgfit.ini:%ld: ", line);
    is_int(load_text("pe", text, msg, sizeof msg), EF_EPARSE, "parse error: %s", desc);
    ok(strncmp(msg, want, strlen(want)) == 0, "... names %s (%s)", want, msg);
    like(msg, what, "... says '%s'", what);
}

static void test_init_load(void)
{
    ef_project p;
    ef_error err;
    char *text, msg[1200];

    ef_error_clear(&err);
    is_int(ef_project_init("p", "data/x.csv", "data/20205/", NULL, 0, &err), EF_OK,
           "init p with relative paths");
    text = get("p/ecgfit.ini");
    like(text, "[project]\n", "config has a [project] section");
    like(text, "\nmain_csv = ../data/x.csv\n", "main_csv stored relative to the project");
    like(text, "\necg_dir = ../data/20205\n", "ecg_dir stored relative (trailing / dropped)");
    like(text, "\nencoder =\n", "unset encoder written empty");
    like(text, "\nfields_file =\n", "unset fields_file written empty");
    ok(text[0] == '#', "config starts with a comment");
    free(text);

    is_int(ef_project_load(&p, "p", &err), EF_OK, "load p");
    is_str(p.dir, "p", "dir as given");
    is_str(p.main_csv, "data/x.csv", "main_csv resolved back (p/../data/x.csv normalised)");
    is_str(p.ecg_dir, "data/20205", "ecg_dir resolved back");
    ok(p.encoder == NULL && p.fields_file == NULL, "unset keys are NULL");
    is_str(p.store_path, "p/ecgfit.h5", "store_path");
    is_str(p.config_path, "p/ecgfit.ini", "config_path");
    ef_project_fini(&p);
    ef_project_fini(&p);
    ok(1, "fini twice is safe");

    ef_error_clear(&err);
    is_int(ef_project_init("p", "other.csv", NULL, NULL, 0, &err), EF_EINVAL,
           "init refuses to overwrite an existing project");
    like(ef_error_format(&err, msg, sizeof msg), "p/ecgfit.ini: already exists", "... says so");
    ef_project_load(&p, "p", &err);
    is_str(p.main_csv, "data/x.csv", "... and left the config alone");
    ef_project_fini(&p);
    is_int(ef_project_init("p", "other.csv", NULL, "p/models/PCLR.h5", 1, &err), EF_OK,
           "init with force overwrites");
    ef_project_load(&p, "p", &err);
    is_str(p.main_csv, "other.csv", "... new main_csv");
    is_str(p.encoder, "p/models/PCLR.h5", "encoder inside the project resolves back");
    ef_project_fini(&p);
    text = get("p/ecgfit.ini");
    like(text, "\nencoder = models/PCLR.h5\n", "encoder inside the project stored as models/PCLR.h5");
    free(text);

    is_int(ef_project_init("a/b/proj", "a/data.csv", "a/b", NULL, 0, &err), EF_OK,
           "init creates nested directories");
    text = get("a/b/proj/ecgfit.ini");
    like(text, "main_csv = ../../data.csv\n", "nested: ../../data.csv");
    like(text, "ecg_dir = ..\n", "nested: parent directory is ..");
    free(text);
    ef_project_load(&p, "a/b/proj", &err);
    is_str(p.main_csv, "a/data.csv", "nested: resolved back");
    is_str(p.ecg_dir, "a/b", "nested: directory resolved back");
    ef_project_fini(&p);

    is_int(ef_project_init("a/b/proj/ecgfit.ini/x", NULL, NULL, NULL, 0, &err), EF_EIO,
           "init under a file fails");
    is_int(ef_project_init("", NULL, NULL, NULL, 0, &err), EF_EINVAL, "init with an empty dir");
}

static void test_absolute(const char *tmp)
{
    char *dir = ef_xasprintf("%s/abs", tmp), *csv = ef_xasprintf("%s/data/y.csv", tmp);
    char *want = ef_xasprintf("%s/data/y.csv", tmp), *text, *cfg;
    ef_project p;
    ef_error err;

    ef_error_clear(&err);
    is_int(ef_project_init(dir, csv, "/usr/share/ecgfit-nowhere/20205", NULL, 0, &err), EF_OK,
           "init with absolute paths");
    cfg = ef_xasprintf("%s/ecgfit.ini", dir);
    text = get(cfg);
    like(text, "\nmain_csv = ../data/y.csv\n", "absolute paths sharing a prefix are stored relative");
    like(text, "\necg_dir = /usr/share/ecgfit-nowhere/20205\n",
         "a path sharing only / with the project stays absolute");
    free(text);
    ef_project_load(&p, dir, &err);
    is_str(p.main_csv, want, "absolute: resolved to the absolute path");
    is_str(p.ecg_dir, "/usr/share/ecgfit-nowhere/20205", "absolute path kept");
    ef_project_fini(&p);

    is_int(ef_project_init("mixed", csv, NULL, NULL, 0, &err), EF_OK,
           "relative dir, absolute csv under the current directory");
    text = get("mixed/ecgfit.ini");
    like(text, "\nmain_csv = ../data/y.csv\n", "... stored relative");
    free(text);
    free(dir);
    free(csv);
    free(want);
    free(cfg);
}

static void test_symlink(void)
{
    ef_project p;
    ef_error err;
    char *text;

    /* "link" -> "deep/er": link/.. is "deep", not ".", so a stored
     * "../../data/x.csv" must not be folded lexically through the link. */
    mkdir("deep", 0777);
    mkdir("deep/er", 0777);
    mkdir("data", 0777);
    put("data/x.csv", "eid\n");
    if (symlink("deep/er", "link") != 0) {
        ok(0, "symlink");
        return;
    }
    ef_error_clear(&err);
    is_int(ef_project_init("link", "data/x.csv", NULL, NULL, 0, &err), EF_OK,
           "init in a symlinked project directory");
    text = get("link/ecgfit.ini");
    like(text, "main_csv = ../../data/x.csv\n", "relative to the physical directory");
    free(text);
    ef_project_load(&p, "link", &err);
    ok(p.main_csv && access(p.main_csv, R_OK) == 0, "resolved path opens the file (%s)",
       p.main_csv ? p.main_csv : "(null)");
    ef_project_fini(&p);
}

static void test_syntax(void)
{
    ef_project p;
    ef_error err;
    char msg[1200];

    is_int(load_text("c",
                     "# a comment\n"
                     "; another comment\n"
                     "\n"
                     "   \t\n"
                     "[ project ]   # section comment\n"
                     "main_csv=data/m.csv;not a comment\n"
                     "  ecg_dir =   ecg dir with spaces   ; trailing comment\n"
                     "encoder = \"models/a #1;b \\\"q\\\" \\\\.h5\"  # comment after quotes\r\n"
                     "fields_file =     ; optional\n",
                     msg, sizeof msg), EF_OK, "comments, blank lines, quotes, CRLF: %s", msg);
    ef_error_clear(&err);
    ef_project_load(&p, "c", &err);
    is_str(p.main_csv, "c/data/m.csv;not a comment", "';' inside a word is part of the value");
    is_str(p.ecg_dir, "c/ecg dir with spaces", "inner spaces kept, outer spaces and comment dropped");
    is_str(p.encoder, "c/models/a #1;b \"q\" \\.h5", "quoted value with escapes");
    ok(p.fields_file == NULL, "empty value before a comment is unset");
    ef_project_fini(&p);

    parse_error("[project]\n[paths]\n", 2, "unknown section [paths]", "unknown section");
    parse_error("[project]\nmain_csv = a\n\nmain_cvs = b\n", 4, "unknown key 'main_cvs'",
                "unknown key");
    parse_error("# c\n[project]\nmain_csv\n", 3, "expected 'key = value'", "line without '='");
    parse_error("[project]\nencoder = \"models/x.h5\n", 2, "unterminated value",
                "unterminated quoted value");
    parse_error("[project\n", 1, "unterminated section header", "unterminated section");
    parse_error("main_csv = a\n[project]\n", 1, "before any section", "key before a section");
    parse_error("[project]\nmain_csv = a\nmain_csv = b\n", 3, "first set on line 2", "duplicate key");
    parse_error("[project]\n\n\n\nencoder = \"a\" b\n", 5, "after the quoted value",
                "text after a quoted value");
    parse_error("[project]\n = a\n", 2, "missing key", "missing key");

    mkdir("empty", 0777);
    ef_error_clear(&err);
    is_int(ef_project_load(&p, "empty", &err), EF_ENOTFOUND, "missing config -> EF_ENOTFOUND");
    is_str(ef_error_format(&err, msg, sizeof msg),
           "empty: not an ecgfit project (no ecgfit.ini); run `ecgfit init` first",
           "missing config message");
    ok(p.dir == NULL && p.config_path == NULL, "failed load leaves the struct empty");
    ef_project_fini(&p);
    is_int(ef_project_load(&p, "no-such-dir", &err), EF_ENOTFOUND, "missing directory -> EF_ENOTFOUND");
    like(err.msg, "run `ecgfit init` first", "... with the same hint");
}

static void test_set(void)
{
    ef_project p;
    ef_error err;
    char *text;

    ef_error_clear(&err);
    put("p/ecgfit.ini", "# my notes\n[project]\nmain_csv = ../data/x.csv\n"
                        "encoder = old.h5   ; keep me\n\n# trailer\n");
    is_int(ef_project_set("p", "encoder", "models/PCLR.h5", &err), EF_OK, "set encoder");
    is_int(ef_project_set("p", "ecg_dir", "data/ecg #2", &err), EF_OK, "set a key not in the file");
    text = get("p/ecgfit.ini");
    is_str(text, "# my notes\n[project]\nmain_csv = ../data/x.csv\n"
                 "encoder = ../models/PCLR.h5  ; keep me\n"
                 "ecg_dir = \"../data/ecg #2\"\n\n# trailer\n",
           "set keeps comments and layout, quotes when needed");
    free(text);
    ef_project_load(&p, "p", &err);
    is_str(p.encoder, "models/PCLR.h5", "set value loads back");
    is_str(p.ecg_dir, "data/ecg #2", "quoted value loads back");
    ef_project_fini(&p);
    is_int(ef_project_set("p", "encoder", "", &err), EF_OK, "unset encoder");
    ef_project_load(&p, "p", &err);
    ok(p.encoder == NULL, "unset key loads as NULL");
    ef_project_fini(&p);
    is_int(ef_project_set("p", "colour", "red", &err), EF_EINVAL, "set an unknown key");
    like(err.msg, "unknown project setting 'colour'", "... says so");
    is_int(ef_project_set("nowhere", "encoder", "x", &err), EF_ENOTFOUND, "set without a project");
    put("pe/ecgfit.ini", "[project]\nbogus = 1\n");
    is_int(ef_project_set("pe", "encoder", "x", &err), EF_EPARSE, "set on a broken config");
    is_int((long long)err.line, 2, "... reports the bad line");
}

static void test_relpath(void)
{
    struct { const char *dir, *target, *want; } cases[] = {
        { "p", "data/x.csv", "../data/x.csv" },
        { "p", "p/models/x.h5", "models/x.h5" },
        { "p", "p", "." },
        { "p", "./p/./a//b/", "a/b" },
        { "p/q", "p/r/../s", "../s" },
        { ".", "x/y", "x/y" },
        { "/", "/etc/passwd", "/etc/passwd" },
        { "/usr/lib", "/usr/share/x", "../share/x" },
        { "p", "", "" },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = ef_project_relpath(cases[i].dir, cases[i].target);

        is_str(r, cases[i].want, "relpath(%s, %s)", cases[i].dir, cases[i].target);
        free(r);
    }
}

int main(void)
{
    const char *tmp = tap_tmpdir();
    char *old = getcwd(NULL, 0);

    if (chdir(tmp) != 0)
        skip_all("cannot enter %s", tmp);
    test_init_load();
    test_absolute(tmp);
    test_symlink();
    test_syntax();
    test_set();
    test_relpath();
    if (old && chdir(old) == 0)
        nftw(tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    free(old);
    return done_testing();
}
