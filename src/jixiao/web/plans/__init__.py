"""绩效目标申报表 and 绩效目标执行监控表 in the web system: stored per unit, project and year;
a 申报表 批复 by 财政; a 自评表 started from it; P09 reading it when a form is saved."""
