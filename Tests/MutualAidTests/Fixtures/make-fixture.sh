#!/usr/bin/env bash
# Builds /tmp/old/fx from the old demo ledger, adds one or more events of every kind
# the demo lacks (every kind except account.closed, which no command makes), checks it
# with verify and audit, and writes the fixture of canonical event bodies.
#
# Uses only the prebuilt old binary (commit 8e7e1c7) and sqlite3/python3.
# Re-running gives the same kinds and counts. The bytes differ, because event
# times, the new key and salts are fresh on every run.
#
#   FX=/tmp/old/fx OUT=/tmp/old/fixture/v1-events.jsonl bash make-fixture.sh
set -euo pipefail

H=${H:-/tmp/old/huzhu}
DEMO=${DEMO:-/tmp/old/demo}
FX=${FX:-/tmp/old/fx}
OUT=${OUT:-/tmp/old/fixture/v1-events.jsonl}

if [ -e "$FX" ]; then echo "$FX exists; remove it or set FX=" >&2; exit 2; fi
cp -r "$DEMO" "$FX"
mkdir -p "$(dirname "$OUT")"
cd "$FX"
export HUZHU_DB="$FX/huzhu.db"
q() { sqlite3 -readonly "$HUZHU_DB" "$1"; }
lastseq() { q "select max(seq) from events where kind='$1'"; }

# --- key.registered + entry.posted signed by a key that is revoked afterwards + key.revoked
"$H" key new --out temp.key
TEMP_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keyId"])' temp.key)
"$H" key register --key admin.key --key-file temp.key --roles clerk --holder "临时经办员 赵六"
"$H" post --key temp.key --date 2026-12-01 --ref FX-V-2026-12-01 \
    --debit 10202=1,200.00 --credit 401=1200 --memo "12 月会费收入"
"$H" post --key clerk.key --date 2026-12-02 --ref FX-V-2026-12-02 \
    --debit 101=500.00 --debit 501=300.50 --credit 10202=800.50 --memo "提取备用金及职工活动"
ENTRY=$(q "select seq from events where idempotency_key='entry:FX-V-2026-12-02'")
"$H" key revoke "$TEMP_ID" --reason "临时岗位结束" --key admin.key

# --- entry.reversed
"$H" reverse "$ENTRY" --reason "金额录错" --date 2026-12-03 --key clerk.key

# --- member.details-updated (two shapes), member.left (with and without reason), member.erased
"$H" member update m0000000006d7 --phone 13900001111 --bank-card 6222020200112233445 --reason "原卡已销户" --key clerk.key
"$H" member update m0000000006d9 --name "王小明" --reason "姓名录错" --key clerk.key
"$H" member leave m0000000006d8 --year 2026 --date 2026-12-04 --reason 调离 --key clerk.key
"$H" member erase m0000000006da --reason "本人申请删除" --key admin.key
"$H" member leave m0000000006db --year 2026 --date 2026-12-05 --key clerk.key

# --- subsidy.received ×2, subsidy.reversed
"$H" contribution subsidy --year 2026 --amount 30000 --ref 补助-2026 --date 2026-12-05 --key clerk.key
"$H" contribution subsidy --year 2026 --amount "1,234.56" --ref 补助-2026-追加 --date 2026-12-06 --key clerk.key
SUB=$(lastseq subsidy.received)
"$H" reverse "$SUB" --reason "补助金额录错" --date 2026-12-06 --key clerk.key

# --- contribution.refund-approved (one approver; two approvers over the threshold), contribution.refunded
"$H" contribution approve-refund --unit U003 --year 2026 --amount 60 --ref RF-U003-01 --date 2026-12-07 --key approver-1.key
"$H" contribution refund --unit U003 --year 2026 --amount 60 --reason "1 人调出" --ref RF-U003-01 --date 2026-12-07 --key clerk.key
"$H" contribution approve-refund --unit U004 --year 2026 --amount "12,000" --ref RF-U004-01 --date 2026-12-07 --key approver-1.key
"$H" contribution approve-refund --unit U004 --year 2026 --amount "12,000" --ref RF-U004-01 --date 2026-12-07 --key approver-2.key
"$H" contribution refund --unit U004 --year 2026 --amount "12,000" --reason "多缴退回" --ref RF-U004-01 --date 2026-12-07 --key clerk.key
# --- contribution.reversed of a refund
REFUND=$(lastseq contribution.refunded)
"$H" reverse "$REFUND" --reason "退款未到账，银行退回" --date 2026-12-07 --key clerk.key

# --- a member enrolled singly, billed, the bill reversed (contribution.reversed of a bill),
#     billed again and paid
"$H" member enroll --unit U006 --year 2026 --name 张三 --resident-id 11010519491231002X \
    --phone 13800138000 --bank-card 6222000000000000001 --date 2026-12-07 --key clerk.key
"$H" contribution bill --year 2026 --unit U006 --date 2026-12-07 --key clerk.key
BILL=$(lastseq contribution.billed)
"$H" reverse "$BILL" --reason "账单日期有误" --date 2026-12-07 --key clerk.key
"$H" contribution bill --year 2026 --unit U006 --date 2026-12-07 --key clerk.key
"$H" contribution receive --unit U006 --year 2026 --amount 60.00 --bank-ref BANK-U006-2026-LATE --date 2026-12-07 --key clerk.key

# --- entry.proposed + entry.rejected (small: rejected outright; large: one approval, then rejected)
"$H" post --propose --key clerk.key --date 2026-12-07 --ref FX-V-2026-12-07 \
    --debit 50701=20.00 --credit 10201=20.00 --memo "12 月专户手续费" --lapses-in 15
P1=$(lastseq entry.proposed)
"$H" entry reject "$P1" --reason "无付款依据" --key approver-1.key
"$H" post --propose --key clerk.key --date 2026-12-07 --ref FX-V-2026-12-07b \
    --debit 10201=15,000.00 --credit 40802=15000 --memo "下半年专户利息"
P2=$(lastseq entry.proposed)
"$H" entry approve "$P2" --key approver-1.key
"$H" entry reject "$P2" --reason "利息金额与银行对账单不符" --key approver-2.key

# --- claims filed singly: one refused by the rules at filing (U003 owes 60 after the refund),
#     one hospital (approved for less), one womens-special by invoice (two approvers), batch, paid
"$H" claim file --member m0000000006dc --benefit hospital --settlement YB20261201FX01 \
    --service-date 2026-12-01 --filed-on 2026-12-07 --total-cost "18,000" --covered "12,000" --own-share "6,000" \
    --documents "互助金申请表;出院小结;医保结算单;住院发票;会员身份证复印件" --key clerk.key
"$H" claim file --member m000000000034 --benefit hospital --settlement YB20261201FX02 \
    --service-date 2026-12-01 --filed-on 2026-12-07 --total-cost "9,876.54" --covered "6,000" --own-share "3,210.98" \
    --documents "互助金申请表;出院小结;医保结算单;住院发票;会员身份证复印件" --key clerk.key
C1=$(lastseq claim.filed)
"$H" claim file --member m000000000035 --benefit womens-special --invoice FP-2026-1202 --hospital 市第一人民医院 \
    --service-date 2026-12-02 --filed-on 2026-12-07 --documents "互助金申请表;二级以上医院诊断证明;病理报告" \
    --diagnosis 乳腺癌 --key clerk.key
C2=$(lastseq claim.filed)
"$H" claim review "$C1" "$C2" --note 材料齐全 --key approver-1.key
"$H" claim approve "$C1" --amount "1,500" --reason "发票金额有误" --date 2026-12-07 --key approver-1.key
"$H" claim approve "$C2" --date 2026-12-07 --key approver-1.key
"$H" claim approve "$C2" --date 2026-12-07 --key approver-2.key
"$H" claim approve-batch FX-PAY-2026-12 "$C1" "$C2" --date 2026-12-07 --key approver-1.key
"$H" claim pay --all --batch FX-PAY-2026-12 --out "$FX/pay-2026-12.csv" --date 2026-12-07 --key clerk.key

# --- a second checkpoint
"$H" checkpoint --key admin.key > /dev/null

# --- account.opened from the CLI (a sub-account; a first-level account with --type),
#     entry.posted from a JSON Lines file (escaped quotes, backslash, slash, non-BMP text)
#     and from options without --ref or --memo
"$H" account open --code 1020201 --name "工商银行基本户" --key admin.key
"$H" account open --code 409 --name "捐赠收入" --type revenue --key admin.key
cat > "$FX/vouchers-2026-12.jsonl" <<'EOF'
{"ref":"FX-J-2026-12-01","date":"2026-12-04","memo":"捐赠 \"爱心基金\" 收入 a\\b / ☃ 😀","postings":[{"account":"1020201","side":"debit","amount":"2,500.00"},{"account":"409","side":"credit","amount":"2500"}]}
{"ref":"FX-J-2026-12-02","date":"2026-12-05","memo":"零钱","postings":[{"account":"101","side":"debit","amount":"0.01"},{"account":"1020201","side":"credit","amount":"0.01"}]}
EOF
"$H" post --key clerk.key --file "$FX/vouchers-2026-12.jsonl"
"$H" post --key clerk.key --date 2026-12-06 --debit 501=88.88 --credit 101=88.88

# --- a second statements.indexed (with its checkpoint) and a final checkpoint
"$H" member index --key admin.key
"$H" checkpoint --key admin.key > /dev/null

# --- both must pass (set -e stops here otherwise)
"$H" verify --db "$HUZHU_DB"
"$H" audit --db "$HUZHU_DB"

# --- the fixture: every event, except that of the five bulk kinds only the first 40
#     and last 10 of each are kept; canonical body bytes, one per line, by seq
sqlite3 -readonly "$HUZHU_DB" <<'EOF' > "$OUT"
WITH ranked AS (
  SELECT seq, kind, body,
         row_number() OVER (PARTITION BY kind ORDER BY seq ASC)  AS first_n,
         row_number() OVER (PARTITION BY kind ORDER BY seq DESC) AS last_n
  FROM events
)
SELECT CAST(body AS TEXT) FROM ranked
WHERE kind NOT IN ('member.enrolled','claim.filed','claim.reviewed','claim.approved','claim.paid')
   OR first_n <= 40 OR last_n <= 10
ORDER BY seq;
EOF

# --- check: each line is one body byte for byte, is JSON, has no raw newline; kind counts
python3 - "$HUZHU_DB" "$OUT" <<'EOF'
import collections, json, sqlite3, sys
db = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)
rows = db.execute("""WITH r AS (SELECT seq, kind, body,
  row_number() OVER (PARTITION BY kind ORDER BY seq) f,
  row_number() OVER (PARTITION BY kind ORDER BY seq DESC) l FROM events)
  SELECT seq, kind, body FROM r
  WHERE kind NOT IN ('member.enrolled','claim.filed','claim.reviewed','claim.approved','claim.paid')
     OR f <= 40 OR l <= 10 ORDER BY seq""").fetchall()
raw = open(sys.argv[2], 'rb').read()
assert raw.endswith(b'\n')
lines = raw[:-1].split(b'\n')
assert len(lines) == len(rows), (len(lines), len(rows))
kinds = collections.Counter()
for line, (seq, kind, body) in zip(lines, rows):
    assert b'\n' not in body and b'\r' not in body, seq
    assert line == body, f'line for seq {seq} differs from events.body'
    obj = json.loads(line.decode('utf-8'))
    assert obj['seq'] == seq and obj['kind'] == kind, seq
    kinds[kind] += 1
print(f'{sys.argv[2]}: {len(lines)} lines, {len(raw)} bytes; every line valid JSON, byte-identical to events.body')
for k in sorted(kinds): print(f'{k:32} {kinds[k]:5}')
print(f'{len(kinds)} kinds')
EOF
