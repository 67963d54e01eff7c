"""In-app notifications (and e-mail where an SMTP server is configured) for workflow steps
and 填报任务 reminders."""
