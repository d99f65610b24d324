/* ef_csv_scan_body.h — the row logic of ef_csv_scan.c, included once per
 * mask builder: SCAN_NAME is the function, SCAN_LOAD fills a masks struct
 * from 64 bytes, SCAN_ATTR its target attribute.  Not a public header. */

/* Bit i of a chunk mask is byte pos + i.  Returns 1 with the selected cells
 * in off/len/esc, *next just past the row's LF and *nlf its newlines, when
 * the row base[start ...] is regular and ends before LIMIT; else 0. */
SCAN_ATTR static int SCAN_NAME(const ef_csv_layout *lay, const char *base, size_t start,
                               size_t limit, uint32_t *off, uint32_t *len, unsigned char *esc,
                               size_t *next, size_t *nlf)
{
    const size_t nuniq = lay->nuniq, *uniq = lay->uniq;
    size_t pos = start, col = 0, u = 0, want = nuniq ? uniq[0] : (size_t)-1, cstart = start;
    size_t lf = 0, need, cnt, k, e;
    int have = want == 0;      /* the start of cell `want` is known (cstart) */
    uint64_t inq = 0;          /* all ones: the previous chunk ended inside quotes */
    uint64_t csep = 1, cclose = 0;   /* the previous byte was a separator / closing quote */
    unsigned char pad[64];
    masks m;

    while (pos < limit) {
        uint64_t valid = ~0ULL, inside, lfo, rowm, open, close, sep, bad;

        if (limit - pos >= 64) {
            SCAN_LOAD((const unsigned char *)base + pos, &m);
        } else {
            memset(pad, 0, sizeof pad);
            memcpy(pad, base + pos, limit - pos);
            SCAN_LOAD(pad, &m);
            valid = ((uint64_t)1 << (limit - pos)) - 1;
        }
        inside = prefix_xor(m.q) ^ inq;          /* opening quote in, closing quote out */
        lfo = m.lf & ~inside & valid;
        rowm = lfo ? lfo ^ (lfo - 1) : valid;    /* up to the row's LF */
        lfo &= rowm;
        open = m.q & inside & rowm;
        close = m.q & ~inside & rowm;
        sep = ((m.c & ~inside) | lfo) & rowm;
        bad = m.nul & rowm;
        /* a quote opens only at a cell start or right after a closing quote ("") */
        bad |= open & ~((sep << 1) | csep | (close << 1) | cclose);
        /* after a closing quote: a separator, CR, or the second quote of "" */
        bad |= ((close << 1) | cclose) & ~(m.c | m.lf | m.cr | open) & rowm;
        /* a CR outside quotes only right before the row's LF (bit 63: ask fast_row) */
        bad |= m.cr & ~inside & rowm & ~(m.lf >> 1);
        if (bad)
            return 0;
        lf += (size_t)__builtin_popcountll(m.lf & inside & rowm);
        csep = sep >> 63;
        cclose = close >> 63;
        inq = (uint64_t)0 - (inside >> 63);
        /* Walk only the separators that start or end a selected cell. */
        while (sep) {
            need = have ? want : want - 1;
            cnt = (size_t)__builtin_popcountll(sep);
            if (col + cnt <= need) {
                col += cnt;
                break;
            }
            for (k = need - col; k; k--)
                sep &= sep - 1;
            e = pos + (size_t)__builtin_ctzll(sep);
            sep &= sep - 1;
            col = need + 1;
            if (have) {
                if (base[e] == '\n' && e > cstart && base[e - 1] == '\r')
                    note_cell(base, cstart, e - 1, off + u, len + u, esc + u);
                else
                    note_cell(base, cstart, e, off + u, len + u, esc + u);
                u++;
                want = u < nuniq ? uniq[u] : (size_t)-1;
            }
            have = want == col;
            cstart = e + 1;
        }
        if (lfo) {
            if (col != lay->ncols)
                return 0;   /* fast_row names the ragged row */
            *next = pos + (size_t)__builtin_ctzll(lfo) + 1;
            *nlf = lf + 1;
            return 1;
        }
        pos += 64;
    }
    return 0;
}
