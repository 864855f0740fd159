package fi.hg.bus.adapters.http.pages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The pages' one style sheet, inlined, and its hash for the Content-Security-Policy. */
final class PageStyle {

    static final String CSS = """
            :root{color-scheme:light dark;--bg:#f3f4f7;--card:#fff;--text:#1c2230;--muted:#5b6476;--line:#e1e4ea;\
            --accent:#3b5bdb;--on-accent:#fff;--ok:#2b8a3e;--warn:#d9480f;--bad:#c92a2a}
            @media (prefers-color-scheme:dark){:root{--bg:#14161b;--card:#1d2027;--text:#e7e9ee;--muted:#9ba3b3;\
            --line:#2f343e;--accent:#8ea2ff;--on-accent:#0e1224;--ok:#69db7c;--warn:#ffa94d;--bad:#ff8787}}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--text);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
            main{max-width:46rem;margin:2.5rem auto;padding:0 1rem}
            .card{background:var(--card);border:1px solid var(--line);border-radius:16px;padding:2rem 2.2rem;\
            box-shadow:0 1px 2px rgba(0,0,0,.04),0 10px 30px rgba(0,0,0,.06)}
            .top{display:flex;justify-content:space-between;align-items:center;gap:1rem;margin-bottom:1.6rem}
            .brand{font-weight:700;letter-spacing:.01em;display:flex;align-items:center;gap:.5rem}
            .brand::before{content:"";width:.9rem;height:.9rem;border-radius:4px;background:var(--accent)}
            .badge{font-size:.75rem;color:var(--muted);border:1px solid var(--line);border-radius:999px;padding:.15rem .65rem}
            h1{font-size:1.65rem;line-height:1.25;margin:0 0 .4rem}
            h2{font-size:1.08rem;margin:2.1rem 0 .8rem}
            p{margin:.4rem 0}
            .muted{color:var(--muted)}
            code{font:.86em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:.12em .4em;border-radius:6px;word-break:break-all}
            .note{background:var(--bg);border-radius:10px;padding:.75rem 1rem;margin:1rem 0}
            .plans{display:grid;gap:.75rem;border:0;padding:0;margin:1.4rem 0}
            .plans legend{font-weight:600;margin-bottom:.6rem;padding:0}
            .plan{display:grid;grid-template-columns:auto 1fr auto;gap:.15rem .8rem;align-items:baseline;\
            border:1px solid var(--line);border-radius:12px;padding:.95rem 1.1rem;cursor:pointer}
            .plan:hover{border-color:var(--accent)}
            .plan:has(input:checked){border-color:var(--accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--accent) 22%,transparent)}
            .plan input{accent-color:var(--accent);margin:0}
            .plan-name{font-weight:600}
            .price{font-variant-numeric:tabular-nums;white-space:nowrap}
            .plan ul{grid-column:2/4;margin:.25rem 0 0;padding-left:1.1rem;color:var(--muted);font-size:.9rem}
            .current{font-size:.75rem;font-weight:600;color:var(--ok);margin-left:.4rem}
            button{font:inherit;font-weight:600;border:1px solid transparent;border-radius:10px;padding:.65rem 1.3rem;\
            background:var(--accent);color:var(--on-accent);cursor:pointer}
            button:hover{filter:brightness(1.08)}
            button.danger{background:transparent;color:var(--bad);border-color:var(--bad)}
            .actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-top:1.2rem}
            .status{display:inline-block;border-radius:999px;padding:.05rem .7rem;font-size:.85rem;font-weight:600;\
            background:color-mix(in srgb,var(--muted) 16%,transparent);color:var(--muted)}
            .status-active{background:color-mix(in srgb,var(--ok) 16%,transparent);color:var(--ok)}
            .status-past_due,.status-incomplete{background:color-mix(in srgb,var(--warn) 16%,transparent);color:var(--warn)}
            .status-canceled{background:color-mix(in srgb,var(--bad) 14%,transparent);color:var(--bad)}
            dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1.4rem;margin:1.2rem 0}
            dt{color:var(--muted)}
            dd{margin:0}
            .usage{margin:1rem 0}
            .usage-head{display:flex;justify-content:space-between;gap:1rem;font-size:.93rem}
            .usage-head .amount{font-variant-numeric:tabular-nums;white-space:nowrap}
            meter{display:block;width:100%;height:.85rem;margin:.35rem 0 .2rem}
            .exceeded{color:var(--bad);font-weight:600}
            .small{font-size:.85rem}
            table{width:100%;border-collapse:collapse;font-size:.9rem}
            th,td{text-align:left;padding:.45rem .35rem;border-bottom:1px solid var(--line);vertical-align:top}
            th{color:var(--muted);font-weight:600}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .counts{display:flex;gap:1.2rem;flex-wrap:wrap;margin:.4rem 0 .8rem}
            footer{margin-top:2rem;padding-top:1rem;border-top:1px solid var(--line);font-size:.92rem}
            a{color:var(--accent)}
            """;

    /** {@code 'sha256-…'} of {@link #CSS}, for {@code style-src}. */
    static final String HASH = "'sha256-" + sha256(CSS) + "'";

    private PageStyle() {
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
