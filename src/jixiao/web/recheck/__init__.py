"""抽查复核 (财预〔2020〕10号 第十九条): 财政 draws a sample of the units' self-evaluations per
主管部门, and named reviewers re-score the sampled forms beside the self-scores."""
