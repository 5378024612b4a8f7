DROP TABLE host_software;
