"""The guide's table of problem codes: for each code ``catalog check`` reports, what it means and
what to change, in the editor's words (Japanese). ``guide.py`` prints it in docs/editing.md;
tests/editor/test_guide.py checks that every code the generator can report is here.
"""

from __future__ import annotations

from collections.abc import Mapping

CODES: Mapping[str, tuple[str, str]] = {
    # files and folders
    "no-content": ("content/ フォルダがありません", "プロジェクトのフォルダで実行しているか確かめます"),
    "missing-file": ("site.yaml か archetypes.yaml がありません", "content/ にそのファイルを置きます"),
    "unknown-folder": (
        "読み込まないフォルダがあります（警告）",
        "フォルダ名のつづりを確かめます（例: program → programs）",
    ),
    "unknown-file": ("読み込まないファイルがあります（警告）", "項目は .md で、決められたフォルダに置きます"),
    "invalid-slug": ("ファイル名がURLに使えません", "半角英小文字・数字・ハイフンだけの名前に変えます"),
    "reserved-slug": ("ファイル名がサイトの自動作成ページ（制度の比較、検索など）と重なります", "別の名前に変えます"),
    "duplicate-slug": ("同じファイル名（大文字・小文字の違いだけを含む）が2つあります", "どちらかの名前を変えます"),
    "unreadable": ("ファイルを読めません", "ふつうのファイルか、読み取りの権限があるかを確かめます"),
    "symlink-outside": ("content/ の外を指すシンボリックリンクです", "リンクではなくファイルそのものを置きます"),
    "file-too-large": ("ファイルが大きすぎます", "画像などを入れていないか確かめます。本文は数キロバイトで足ります"),
    # text and YAML
    "encoding": ("文字コードが UTF-8 ではありません（Shift_JIS など）", "エディタで UTF-8 として保存し直します"),
    "nul-byte": ("ファイルに NUL 文字が入っています", "テキストエディタで保存し直します"),
    "control-character": ("値に見えない制御文字が入っています", "その値を打ち直します"),
    "empty-file": ("ファイルが空です", "ひな形（catalog new）から書き直します"),
    "front-matter-missing": ("先頭に --- で始まるフロントマターがありません", "1行目を --- にします"),
    "front-matter-unclosed": (
        "フロントマターを閉じる --- がありません",
        "示された行（本文の始まり）の前に --- の行を入れます",
    ),
    "front-matter-type": ("フロントマターが「項目: 値」の形になっていません", "各行を「項目: 値」で書きます"),
    "yaml-syntax": (
        "YAML の書き方の誤りです",
        "示された行の「:」や「-」のあとの半角スペース、全角の記号、字下げ（半角スペース）、引用符の閉じ忘れを確かめます",
    ),
    "yaml-depth": ("入れ子（字下げの段）が深すぎます", "字下げを見直します。項目の一覧にない入れ子は使えません"),
    "yaml-alias": ("YAML の & と * による参照は使えません", "値をそのまま書きます"),
    "yaml-tag": ("YAML の ! で始まるタグは使えません", "タグを消して値だけを書きます"),
    "yaml-key": ("項目名が文字列ではありません", "「項目名: 値」の形で書きます"),
    "duplicate-key": ("同じ項目が2回書かれています", "1つにまとめます"),
    "invalid-number": ("数値として読めない値です", "0.7 や 5600000 のようにふつうの数値で書きます"),
    # fields
    "missing-field": ("必須の項目がありません", "下の「項目の一覧」で必須の項目を確かめて書き足します"),
    "unknown-field": ("知らない項目があります（つづりの間違いなど）", "メッセージが示す正しい名前に直すか、消します"),
    "wrong-type": ("値の種類が違います（リストのところに文字列など）", "「項目の一覧」の「型」のとおりに書きます"),
    "invalid-value": ("使えない値です", "メッセージの「使える値」から選びます"),
    "empty-value": ("値が空です", "値を書くか、任意の項目なら項目ごと消します"),
    "too-long": ("文字数が多すぎます", "上限の文字数以内に縮めます"),
    "too-few": ("リストの数が足りません", "少なくとも1つ書きます"),
    "duplicate-value": ("リストに同じ値が2回あります", "重なっている方を消します"),
    "out-of-range": ("数値が範囲の外です", "メッセージの範囲に収めます（措置率は 0〜1）"),
    "invalid-date": ("日付として読めません（2月30日など）", "「日付と年度の書き方」のとおりに書きます"),
    "invalid-period": ("期間の終わりが始まりより前です", "start と end を確かめます"),
    "placeholder": (
        "ひな形（catalog new）の例の値や例の文が残っています",
        "内容を書き換え、行末の # ← 書き換えてください を消します",
    ),
    # privacy
    "privacy-key": ("人材の役割に個人情報の項目があります", "その項目を消します"),
    "privacy-email": ("人材の役割にメールアドレスがあります", "消します"),
    "privacy-phone": ("人材の役割に電話番号があります", "消します"),
    "privacy-postal": ("人材の役割に郵便番号があります", "消します"),
    "privacy-social": ("人材の役割に個人のSNS・プロフィールのURLがあります", "消します"),
    "privacy-history": (
        "人材の役割に、個人の経歴など（経歴・前職・出身・年齢・学歴・家族・趣味など）を書く項目や見出しがあります",
        "その項目や見出しと、その内容を消します。役割の仕事と求めるスキルを書きます",
    ),
    # sources and roles
    "covers-unknown": (
        "出典の covers に、項目の一覧にない名前があります",
        "メッセージが示す正しい項目名に直します（例: terms.fiscal_rate）",
    ),
    "role-status": (
        "モデル（kind: model）の役割に status が書かれています",
        "status の行を消します。実際の募集・配置なら kind: real にします",
    ),
    "undated-source": (
        "実例（kind: real）の役割に、日付のある出典がありません",
        "募集や配置を確かめた資料を、published か accessed の日付とともに書きます",
    ),
    # references and links
    "unknown-reference": ("参照している項目や人材像がありません", "ファイル名のつづりを確かめるか、参照を外します"),
    "draft-reference": ("公開される項目が下書きの項目を参照しています", "参照を外すか、参照先を公開します"),
    "unknown-link": (
        "本文のリンク先のファイルがありません",
        "../programs/ファイル名.md の形で、あるファイルを指します",
    ),
    # warnings
    "summary-long": ("要約が長く、検索結果で途中までしか表示されません（警告）", "120文字程度に縮めます"),
    "placeholder-origin": (
        "公開先の URL が例（https://example.github.io）のままです（警告、ビルドのとき）",
        "site.yaml の base_url を実際の公開先にするか、--base-url で指定します",
    ),
    "review-overdue": (
        "最終確認日（reviewed）から確認の間隔（既定12か月）を過ぎています（警告）。ページは状況を確認時点として示します",
        "出典と公式の情報で事実を確かめ、reviewed を確かめた日にします。catalog review で一覧にできます",
    ),
    "covers-empty": (
        "出典の covers に、この項目で値を書いていない項目があります（警告）",
        "値を書くか、covers から外します",
    ),
    "unsourced-fact": (
        "支援制度の terms・period の値を示す出典がありません（警告）",
        "その値を述べている資料の covers に項目名を加えます。資料がなければ値を書きません",
    ),
    # building the site
    "broken-link": ("生成したページのリンク先がありません", "テーマを変えた場合はテンプレートのリンクを確かめます"),
    "template-error": ("テンプレートの実行に失敗しました", "テーマを変えた場合は、その変更を確かめます"),
    "template-syntax": ("テンプレートの書き方の誤りです", "メッセージの行を直します"),
    "search-index": ("検索インデックスを作れませんでした", "もう一度実行します。続くときは管理者に知らせます"),
    "unsafe-output": ("出力先がプロジェクトのファイルと重なっています", "出力先に site などの別のフォルダを指定します"),
    "unsafe-path": ("出力先の外に書き込もうとしました", "管理者に知らせます"),
}
