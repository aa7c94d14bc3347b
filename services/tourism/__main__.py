from tourism.service import SERVICE

SERVICE.main()
