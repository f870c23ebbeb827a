/* token.c: curators' bearer tokens, stored only as the hex SHA-256 of the
 * token (auth.c makes and checks them). */
#include "store/store_int.h"

int store_token_add(const char *name, const char *role, const char *hash)
{
    int rc = sql_run("INSERT INTO token (name, role, hash) VALUES (?, ?, ?)", "ttt", name,
                     role, hash);
    return rc == -2 ? STORE_CONFLICT : rc < 0 ? STORE_ERROR : STORE_OK;
}

int store_token_list(json_t **rows)
{
    return sql_rows(rows, "SELECT name, role, created_at, revoked_at FROM token ORDER BY name",
                    "");
}

int store_token_revoke(const char *name)
{
    int rc = sql_run("UPDATE token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                     " WHERE name = ? AND revoked_at IS NULL", "t", name);
    return rc < 0 ? STORE_ERROR : rc == 0 ? STORE_NOT_FOUND : STORE_OK;
}

int store_token_find(const char *hash, json_t **row)
{
    return sql_row(row, "SELECT name, role, hash FROM token WHERE hash = ?"
                        " AND revoked_at IS NULL", "t", hash);
}
