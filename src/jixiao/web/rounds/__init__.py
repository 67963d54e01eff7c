"""填报任务: 财政 asks units to report their projects of a year by a deadline, and follows
progress (N of M submitted) by 主管部门 and unit."""
