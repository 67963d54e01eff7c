"""jixiao (绩效): exact data, official scoring and audit of 财政项目支出绩效自评表."""

__version__ = "0.1.0"
