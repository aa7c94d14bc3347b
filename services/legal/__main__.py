from legal.service import SERVICE

SERVICE.main()
