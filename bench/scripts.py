"""What a Chinese article costs beside an English one of the same content and length.

Both articles say the same (about sleep, flu and everyday health, in five sections)
and fill about the same pages. For each: the PDF's pages and size, the distinct
characters it prints (a CJK subset grows with them), and printjournal's render time:
cold (a fresh process: `printjournal article`, wall seconds, which includes starting
Python, fontconfig and loading the fonts) and warm (median CPU seconds of --repeat
renders in this process, interleaved). Ratios Chinese / English side by side.

    .venv/bin/python bench/scripts.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pypdf

from printjournal.load import config, content
from printjournal.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent

ENGLISH = [
    ("Why sleep matters",
     "Sleep is when the body repairs itself. Most adults need seven to nine hours a night. "
     "After several short nights, attention, mood and the immune system all suffer. Going to "
     "bed and getting up at the same times every day, even at weekends, helps the body clock."),
    ("The flu vaccine",
     "Flu viruses change every year, so the vaccine is given every autumn. Protection builds "
     "up over about two weeks. People over sixty-five, pregnant women and people with "
     "long-term conditions such as diabetes or asthma benefit most. The arm may be sore for "
     "a day or two; that is normal."),
    ("Eating well",
     "Half of each plate should be vegetables and fruit. Choose wholegrain bread and rice, "
     "eat fish twice a week and keep salt and sugar low. Water is the best drink; sweet "
     "drinks and juice add sugar without filling you up."),
    ("Moving every day",
     "Thirty minutes of brisk walking on most days strengthens the heart and lifts the mood. "
     "Start with ten minutes and add a little each week. Stand up and move for a few minutes "
     "every hour if you sit at work."),
    ("When to see a doctor",
     "Seek help at once for chest pain, sudden weakness of the face or arm, or trouble "
     "breathing. See your doctor within a few days for a fever that lasts more than three "
     "days, a cough that gets worse, or weight loss you cannot explain."),
]

CHINESE = [
    ("睡眠为什么重要",
     "睡眠是身体自我修复的时间。大多数成年人每晚需要七到九个小时。连续几晚睡得太少，注意力、"
     "情绪和免疫力都会受到影响。每天在同一时间上床和起床，周末也不例外，有助于调节生物钟。"),
    ("流感疫苗",
     "流感病毒每年都会变化，所以疫苗需要每年秋季接种。接种后大约两周才能产生保护。六十五岁以上的"
     "老人、孕妇以及患有糖尿病或哮喘等慢性病的人受益最大。手臂可能会酸痛一两天，这是正常的。"),
    ("健康饮食",
     "每餐的一半应该是蔬菜和水果。选择全麦面包和糙米，每周吃两次鱼，少盐少糖。白开水是最好的饮料；"
     "甜饮料和果汁含糖多，却不能让人感到饱。"),
    ("每天活动",
     "大多数日子快走三十分钟，可以增强心脏功能，改善心情。可以从十分钟开始，每周逐渐增加。"
     "如果工作时久坐，每小时站起来活动几分钟。"),
    ("什么时候需要看医生",
     "如果出现胸痛、面部或手臂突然无力、呼吸困难，请立即就医。发烧超过三天、咳嗽加重，或者体重"
     "无故下降，请在几天内去看医生。"),
]


def article(title: str, lang: str, sections: list[tuple[str, str]], repeat: int) -> str:
    body = "\n\n".join(f"## {heading}\n\n" + "\n\n".join([text] * repeat)
                       for heading, text in sections)
    return (f'---\ntitle: "{title}"\nsection: "Bench"\ndate: 2026-10-01\nlang: {lang}\n---\n'
            f"{body}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("layouts", "fonts"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "printjournal.toml", root)
        shutil.copytree(ROOT / "content" / "clinics", root / "content" / "clinics")
        articles = root / "content" / "articles"
        articles.mkdir(parents=True)
        paths = {"English": articles / "english.md", "Chinese": articles / "chinese.md"}
        paths["English"].write_text(article("Everyday health", "en-GB", ENGLISH, 3), "utf-8")
        paths["Chinese"].write_text(article("日常健康", "zh-CN", CHINESE, 3), "utf-8")
        project = config.load_project(root)
        pipeline = Pipeline.load(project)
        loaded = {k: content.load_article(p, project) for k, p in paths.items()}
        rows = {}
        warm: dict[str, list[float]] = {k: [] for k in paths}
        for key in paths:                      # once untimed: the fonts are loaded
            pipeline.article_pdf(loaded[key])
        for _ in range(args.repeat):
            for key in paths:
                start = time.process_time()
                data = pipeline.article_pdf(loaded[key]).data
                warm[key].append(time.process_time() - start)
        for key, path in paths.items():
            out = root / f"{key}.pdf"
            start = time.perf_counter()
            subprocess.run([str(ROOT / ".venv" / "bin" / "printjournal"), "article", str(path),
                            "-o", str(out)], cwd=root, check=True, capture_output=True)
            cold = time.perf_counter() - start
            data = out.read_bytes()
            text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
            rows[key] = (len(pypdf.PdfReader(io.BytesIO(data)).pages), len(data),
                         len(set(text) - set(" \n")), cold, statistics.median(warm[key]))
    print(f"{'article':8} {'pages':>5} {'KiB':>6} {'chars':>6} {'cold s':>7} {'warm s':>7}")
    for key, (pages, size, chars, cold, warm_s) in rows.items():
        print(f"{key:8} {pages:5} {size // 1024:6} {chars:6} {cold:7.2f} {warm_s:7.3f}")
    en, zh = rows["English"], rows["Chinese"]
    print(f"{'zh / en':8} {zh[0] / en[0]:5.2f} {zh[1] / en[1]:6.2f} {'':6} "
          f"{zh[3] / en[3]:7.2f} {zh[4] / en[4]:7.2f}")


if __name__ == "__main__":
    main()
